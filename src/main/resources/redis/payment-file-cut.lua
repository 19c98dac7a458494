-- Cuts a bank file's batch: every queued payment not in a file yet goes into this batch, once. A batch is cut once
-- (its state key says so), by whichever instance comes first; the others find it cut and cut nothing.
-- KEYS[1] pending zset, KEYS[2] assigned hash, KEYS[3] the batch's list, KEYS[4] the batch's state, KEYS[5] unwritten zset
-- ARGV[1] batch id, ARGV[2] epoch ms, ARGV[3] seconds the batch's keys are kept
-- Returns the number of payments put in the batch (-1: the batch was cut before).
if redis.call('EXISTS', KEYS[4]) == 1 then
  return -1
end
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local n = 0
for _, id in ipairs(ids) do
  if redis.call('HSETNX', KEYS[2], id, ARGV[1]) == 1 then
    redis.call('RPUSH', KEYS[3], id)
    n = n + 1
  end
  redis.call('ZREM', KEYS[1], id)
end
redis.call('SET', KEYS[4], 'claimed|' .. ARGV[2], 'EX', tonumber(ARGV[3]))
if n > 0 then
  redis.call('EXPIRE', KEYS[3], tonumber(ARGV[3]))
  redis.call('ZADD', KEYS[5], tonumber(ARGV[2]), ARGV[1])
end
return n
