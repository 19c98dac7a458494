-- Brings the workload indexes of one claim to a version of its state (AdjusterWorkloads.track): which adjuster's
-- open-claim set holds it, the per-adjuster counts derived from those sets, the adjuster's assigned-today set, the
-- unassigned queue and the SLA deadlines. Only a higher claim version than the one recorded is applied, so
-- deliveries repeated, late or racing on several consumers leave the indexes as the latest state says.
-- KEYS[1] adjusters:claim-owner   KEYS[2] adjusters:open-claims   KEYS[3] old adjuster's open set
-- KEYS[4] new adjuster's open set   KEYS[5] new adjuster's assigned-on-day set   KEYS[6] claims:unassigned
-- KEYS[7] sla:deadlines
-- ARGV[1] claimId  ARGV[2] claim version  ARGV[3] owner record read by the caller ('' for none)
-- ARGV[4] old adjuster id ('' none)  ARGV[5] new adjuster id ('' none: not open with anyone)
-- ARGV[6] SLA deadline epoch ms ('' none)  ARGV[7] seconds to keep the assigned-on-day set
-- ARGV[8] '1' while the claim awaits assignment
-- Answers 'updated', 'stale' (an equal or later version was applied already) or 'retry' (the owner changed since read).
local claim = ARGV[1]
local recorded = redis.call('HGET', KEYS[1], claim) or ''
if recorded ~= ARGV[3] then
  return 'retry'
end
if recorded ~= '' then
  local version = tonumber(string.match(recorded, '^(%d+) '))
  if version >= tonumber(ARGV[2]) then
    return 'stale'
  end
end
local old, new = ARGV[4], ARGV[5]
if old ~= '' and old ~= new then
  redis.call('SREM', KEYS[3], claim)
  redis.call('ZADD', KEYS[2], redis.call('SCARD', KEYS[3]), old)
end
if new ~= '' then
  redis.call('SADD', KEYS[4], claim)
  redis.call('ZADD', KEYS[2], redis.call('SCARD', KEYS[4]), new)
  if old ~= new then
    redis.call('SADD', KEYS[5], claim)
    redis.call('EXPIRE', KEYS[5], ARGV[7])
  end
end
if ARGV[8] ~= '1' then
  redis.call('ZREM', KEYS[6], claim)
end
if ARGV[6] ~= '' then
  redis.call('ZADD', KEYS[7], ARGV[6], claim)
else
  redis.call('ZREM', KEYS[7], claim)
end
redis.call('HSET', KEYS[1], claim, ARGV[2] .. ' ' .. (new ~= '' and new or '-'))
return 'updated'
