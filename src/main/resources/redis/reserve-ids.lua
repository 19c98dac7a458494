-- Reserves a submission's claim id and event id under an idempotency record, or answers the ones reserved first
-- (ClaimCommands.submit). Like SET NX GET, which Redis 6.2 does not allow together.
-- KEYS[1] idempotency:{<key>} or submission:{<eventId>}   ARGV[1] "<claimId> <eventId>"   ARGV[2] seconds to keep it
local reserved = redis.call('GET', KEYS[1])
if reserved then
  return reserved
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return ARGV[1]
