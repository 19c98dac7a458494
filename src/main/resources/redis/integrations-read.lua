-- What the integrations group needs of each claim a batch touches, in one round trip (IntegrationBatches): the
-- records of the delivered event ids in the claim's event-id index (to check each log entry is its claim stream's
-- event, logged as that very entry), and the claim as its stream stands. A snapshot that has folded every entry of
-- the stream (the usual case: it is written with each append) is answered as the values of the fields the claims
-- table needs only; otherwise the whole snapshot as stored and the claim-stream entries it has not folded yet (as
-- read-claim.lua, whose catch-up this is).
-- KEYS, three per claim: claim:{CLM-...}:event-ids   claim:{CLM-...}   claim:{CLM-...}:events
-- ARGV[1] the snapshot field holding its stream position; ARGV[2] the number m of fields the table needs, then those
-- m fields; then per claim: the number n of event ids, the n ids
-- Answers, per claim: { records (nil for an unknown id), 1, values of the m fields (nil where absent) } when the
-- snapshot is up to date, else { records, 0, snapshot field/value list, XRANGE reply of the unseen entries }
local reply = {}
local m = tonumber(ARGV[2])
local a = 3 + m
for k = 1, #KEYS, 3 do
  local n = tonumber(ARGV[a])
  local records = {}
  if n > 0 then
    records = redis.call('HMGET', KEYS[k], unpack(ARGV, a + 1, a + n))
  end
  a = a + n + 1
  local position = redis.call('HGET', KEYS[k + 1], ARGV[1])
  local unseen
  if position then
    -- '(' makes the start exclusive (Redis 6.2+)
    unseen = redis.call('XRANGE', KEYS[k + 2], '(' .. position, '+')
  else
    unseen = redis.call('XRANGE', KEYS[k + 2], '-', '+')
  end
  if position and #unseen == 0 then
    reply[#reply + 1] = { records, 1, redis.call('HMGET', KEYS[k + 1], unpack(ARGV, 3, 2 + m)) }
  else
    reply[#reply + 1] = { records, 0, redis.call('HGETALL', KEYS[k + 1]), unseen }
  end
end
return reply
