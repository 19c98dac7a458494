-- One stream's figures for the operations metrics and health (StreamInspector): a handful of O(1) commands per
-- group, plus on Redis 6.2 (whose XINFO GROUPS has no lag) a count of the entries after each group's last-delivered
-- id, bounded by ARGV[1] entries so a large backlog costs no more than that.
-- KEYS[1] the stream   ARGV[1] most entries counted per group for its lag
-- Answers {0} when the key is not a stream, else {1, length, first id, last id, memory bytes, group, group, ...},
-- a group being {name, last-delivered id, lag, lag exact (1/0), pending, oldest pending id, {consumer, pending, idle ms, ...}}
local key = KEYS[1]
local cap = tonumber(ARGV[1])
if redis.call('TYPE', key).ok ~= 'stream' then return {0} end

local function fields(flat)
  local m = {}
  for i = 1, #flat, 2 do m[flat[i]] = flat[i + 1] end
  return m
end
local function before(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end

local info = fields(redis.call('XINFO', 'STREAM', key))
local length = info['length']
local first = info['first-entry'] and info['first-entry'][1] or ''
local last = info['last-entry'] and info['last-entry'][1] or ''
local memory = redis.call('MEMORY', 'USAGE', key) or 0
local answer = {1, length, first, last, memory}

for _, raw in ipairs(redis.call('XINFO', 'GROUPS', key)) do
  local g = fields(raw)
  local name, delivered = g['name'], g['last-delivered-id']
  local lag, exact = g['lag'], 1
  if type(lag) ~= 'number' then
    -- Redis 6.2 (no lag field), or Redis 7 after deletions it cannot account for (nil)
    if length == 0 or not before(delivered, last) then
      lag = 0
    elseif before(delivered, first) then
      lag = length
    else
      lag = 0
      local from = '(' .. delivered
      while true do
        local want = math.min(1000, cap - lag)
        if want <= 0 then exact = 0 break end
        local chunk = redis.call('XRANGE', key, from, '+', 'COUNT', want)
        lag = lag + #chunk
        if #chunk < want then break end
        from = '(' .. chunk[#chunk][1]
      end
    end
  end
  local summary = redis.call('XPENDING', key, name)
  local consumers = {}
  for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', key, name)) do
    local cf = fields(c)
    consumers[#consumers + 1] = cf['name']
    consumers[#consumers + 1] = cf['pending']
    consumers[#consumers + 1] = cf['idle']
  end
  answer[#answer + 1] = {name, delivered, lag, exact, summary[1], summary[2] or '', consumers}
end
return answer
