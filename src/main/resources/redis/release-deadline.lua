-- Ends an SLA deadline lease (SlaScheduler): only if the entry still holds this lease, since tracking a reassignment
-- may have replaced it with a new deadline meanwhile. ARGV[3] non-empty puts that deadline back instead of removing.
-- KEYS[1] sla:deadlines   ARGV[1] claimId   ARGV[2] the lease end it was given   ARGV[3] deadline to restore, or ''
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  if ARGV[3] ~= '' then
    redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  else
    redis.call('ZREM', KEYS[1], ARGV[1])
  end
  return 1
end
return 0
