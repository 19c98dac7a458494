-- What the integrations group needs of each claim a batch touches, in one round trip (IntegrationBatches): the
-- records of the delivered event ids in the claim's event-id index (to check each log entry is its claim stream's
-- event, logged as that very entry), the snapshot as stored, and the claim-stream entries the snapshot has not folded
-- yet (as read-claim.lua, whose catch-up this is).
-- KEYS, three per claim: claim:{CLM-...}:event-ids   claim:{CLM-...}   claim:{CLM-...}:events
-- ARGV[1] the snapshot field holding its stream position; then per claim: the number n of event ids, the n ids
-- Answers, per claim: { records (nil for an unknown id), snapshot field/value list, XRANGE reply of the unseen entries }
local reply = {}
local a = 2
for k = 1, #KEYS, 3 do
  local n = tonumber(ARGV[a])
  local records = {}
  if n > 0 then
    records = redis.call('HMGET', KEYS[k], unpack(ARGV, a + 1, a + n))
  end
  a = a + n + 1
  local snapshot = redis.call('HGETALL', KEYS[k + 1])
  local after = '-'
  for i = 1, #snapshot, 2 do
    if snapshot[i] == ARGV[1] then
      -- '(' makes the start exclusive (Redis 6.2+)
      after = '(' .. snapshot[i + 1]
    end
  end
  reply[#reply + 1] = { records, snapshot, redis.call('XRANGE', KEYS[k + 2], after, '+') }
end
return reply
