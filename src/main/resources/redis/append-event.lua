-- Appends one claim event atomically to the claim's stream and to the global log (ClaimEventStore.append).
-- KEYS[1] claim:{CLM-...}:events   KEYS[2] the global log (claims:events)   KEYS[3] claim:{CLM-...}:event-ids
-- ARGV[1] eventId   ARGV[2] expected version, -1 for any   ARGV[3..] the entry's field/value pairs, claimVersion left out
-- Answers {'appended', version, claimEntryId, globalEntryId}, {'duplicate', <the same, as first recorded>}
-- or {'conflict', currentVersion}.
local recorded = redis.call('HGET', KEYS[3], ARGV[1])
if recorded then
  local version, globalEntryId, claimEntryId = string.match(recorded, '^(%d+) (%S+) (%S+)$')
  return {'duplicate', version, claimEntryId, globalEntryId}
end
-- a claim's stream is never trimmed, so its length is the claim's version
local current = redis.call('XLEN', KEYS[1])
local expected = tonumber(ARGV[2])
if expected >= 0 and current ~= expected then
  return {'conflict', tostring(current)}
end
local version = current + 1
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
fields[#fields + 1] = 'claimVersion'
fields[#fields + 1] = tostring(version)
local claimEntryId = redis.call('XADD', KEYS[1], '*', unpack(fields))
local globalEntryId = redis.call('XADD', KEYS[2], '*', unpack(fields))
redis.call('HSET', KEYS[3], ARGV[1], version .. ' ' .. globalEntryId .. ' ' .. claimEntryId)
return {'appended', tostring(version), claimEntryId, globalEntryId}
