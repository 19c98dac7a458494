-- Reads what the analytics need to count a batch of claim events: the generations to count into, each claim's
-- cursors in those generations, and the claim's events after the oldest cursor, up to the newest version delivered
-- (one round trip per batch; analytics-apply.lua writes the result).
-- KEYS[1] current generation (string), KEYS[2] generation being rebuilt (string), KEYS[3] the token of the last
-- apply (string), then per claim: its cursor hash, its stream, its event-ids hash (eventId to "<version> <log entry id>
-- <claim entry id>").
-- ARGV[1] 'live' (count into the current generation, and the one being rebuilt if any) or the number of the
-- generation being rebuilt (count into it only); then per claim: the newest version delivered, n, and n times
-- (version, eventId, log entry id) of entries delivered as read from the log, one per version.
-- Answers {generation, rebuilding, token ('' if none), per claim: {cursor per generation ('' if none)}, events}. The events are the claim
-- entry ids of the versions after the oldest cursor up to the newest delivered, when every one of them was delivered
-- from the log under the id its claim's event-ids record (so the entries delivered are the claim's own events, and
-- the caller counts them); else the claim's stream entries after the oldest cursor (XRANGE reply, up to the newest).
local gen = redis.call('GET', KEYS[1]) or '0'
local rebuilding = redis.call('GET', KEYS[2]) or ''
local token = redis.call('GET', KEYS[3]) or ''
local fields
if ARGV[1] == 'live' then
  fields = {'g' .. gen}
  if rebuilding ~= '' then
    fields[2] = 'g' .. rebuilding
  end
elseif ARGV[1] == rebuilding then
  fields = {'g' .. rebuilding}
else
  return {gen, rebuilding, token}
end
local out = {gen, rebuilding, token}
local a = 2
for k = 4, #KEYS, 3 do
  local cursorKey, stream, eventIds = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local newest, n = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  local first = a + 2
  a = first + 3 * n
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
    local want = newest - oldest
    local found = 0
    for t = first, a - 1, 3 do
      local version = tonumber(ARGV[t])
      if version > oldest then
        local recorded = redis.call('HGET', eventIds, ARGV[t + 1])
        local v, logId, claimEntryId
        if recorded then
          v, logId, claimEntryId = string.match(recorded, '^(%d+) (%S+) (%S+)$')
        end
        if v == nil or tonumber(v) ~= version or logId ~= ARGV[t + 2] then
          found = -1
          break
        end
        entries[version - oldest] = claimEntryId
        found = found + 1
      end
    end
    if found ~= want then
      local start = '-'
      if oldestEntry then
        start = '(' .. oldestEntry
      end
      entries = redis.call('XRANGE', stream, start, '+', 'COUNT', want)
    end
  end
  out[#out + 1] = cursors
  out[#out + 1] = entries
end
return out
