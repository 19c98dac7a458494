-- Records a planned notification in the claim's send ledger and, only if the ledger did not have it yet, writes the
-- outgoing message to its channel's outbox and a line to the claim's notification log: a redelivered event, or the
-- same event handled by a second instance, queues nothing twice.
-- KEYS[1] ledger hash, KEYS[2] outbox stream (ignored when no outbox fields), KEYS[3] claim log stream
-- ARGV[1] ledger id, ARGV[2] ledger value, ARGV[3] number of outbox arguments (field, value, ...), then those,
-- then the log entry's field, value pairs
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
local outboxArgs = tonumber(ARGV[3])
if outboxArgs > 0 then
  local entry = {KEYS[2], '*'}
  for i = 4, 3 + outboxArgs do entry[#entry + 1] = ARGV[i] end
  redis.call('XADD', unpack(entry))
end
local log = {KEYS[3], 'MAXLEN', '~', '1000', '*'}
for i = 4 + outboxArgs, #ARGV do log[#log + 1] = ARGV[i] end
redis.call('XADD', unpack(log))
return 1
