-- Trims a stream below ARGV[1] (XTRIM MINID, exact) only if every entry below it is acknowledged by every group of
-- the stream: none is pending (the oldest pending entry is not below the bound) and each group has been handed the
-- last entry below the bound. Checked and trimmed in one step, so a group cannot fall behind in between. Answers the
-- number of entries trimmed, or -1 when a group holds the trim back.
-- KEYS[1] the stream   ARGV[1] the bound (an entry id)
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function below(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  return am < bm or (am == bm and as < bs)
end
local last = redis.call('XREVRANGE', KEYS[1], '(' .. ARGV[1], '-', 'COUNT', 1)
if #last == 0 then
  return 0
end
local lastBelow = last[1][1]
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, delivered, pending
  for i = 1, #group, 2 do
    if group[i] == 'name' then name = group[i + 1]
    elseif group[i] == 'last-delivered-id' then delivered = group[i + 1]
    elseif group[i] == 'pending' then pending = group[i + 1] end
  end
  if below(delivered, lastBelow) then
    return -1
  end
  if pending > 0 then
    local summary = redis.call('XPENDING', KEYS[1], name)
    if below(summary[2], ARGV[1]) then
      return -1
    end
  end
end
return redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
