-- Reads what the analytics need to count a batch of claim events: the generations to count into, each claim's
-- cursors in those generations, and the events of the claim's stream after the oldest cursor, up to the newest
-- version delivered (one round trip per batch; analytics-apply.lua writes the result).
-- KEYS[1] current generation (string), KEYS[2] generation being rebuilt (string), then per claim: its cursor hash,
-- its stream. ARGV[1] 'live' (count into the current generation, and the one being rebuilt if any) or the number
-- of the generation being rebuilt (count into it only), then per claim the newest version delivered.
-- Answers {generation, rebuilding, per claim: {cursor per generation ('' if none)}, XRANGE reply}.
local gen = redis.call('GET', KEYS[1]) or '0'
local rebuilding = redis.call('GET', KEYS[2]) or ''
local fields
if ARGV[1] == 'live' then
  fields = {'g' .. gen}
  if rebuilding ~= '' then
    fields[2] = 'g' .. rebuilding
  end
elseif ARGV[1] == rebuilding then
  fields = {'g' .. rebuilding}
else
  return {gen, rebuilding}
end
local out = {gen, rebuilding}
for i = 2, #ARGV do
  local cursorKey = KEYS[2 * i - 1]
  local stream = KEYS[2 * i]
  local newest = tonumber(ARGV[i])
  local cursors = redis.call('HMGET', cursorKey, unpack(fields))
  local oldest, oldestEntry = nil, nil
  for j = 1, #fields do
    local cursor = cursors[j]
    local version, entry = 0, nil
    if cursor then
      local v, e = string.match(cursor, '^(%d+)|([^|]*)|')
      version, entry = tonumber(v), e
    else
      cursors[j] = ''
    end
    if oldest == nil or version < oldest then
      oldest, oldestEntry = version, entry
    end
  end
  local entries = {}
  if newest > oldest then
    local start = '-'
    if oldestEntry then
      start = '(' .. oldestEntry
    end
    entries = redis.call('XRANGE', stream, start, '+', 'COUNT', newest - oldest)
  end
  out[#out + 1] = cursors
  out[#out + 1] = entries
end
return out
