-- Leases the SLA deadlines that are due (SlaScheduler.checkDue): their score moves to the lease's end, so no other
-- hub instance sees them until then; a holder that crashes leaves them to be picked up again when the lease ends.
-- KEYS[1] sla:deadlines   ARGV[1] now (epoch ms)   ARGV[2] lease end (epoch ms)   ARGV[3] how many at most
-- Answers a flat list: claimId, its deadline (epoch ms), claimId, ...
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, ARGV[3])
for i = 1, #due, 2 do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], due[i])
end
return due
