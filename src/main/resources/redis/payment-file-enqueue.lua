-- Queues a payment for the next bank file, unless it is in a file (or queued) already.
-- KEYS[1] pending zset, KEYS[2] orders hash, KEYS[3] assigned hash (payment id -> batch)
-- ARGV[1] payment id, ARGV[2] epoch ms, ARGV[3] the order as JSON
-- Returns 1 when queued now, 0 when it was queued or in a file before.
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then
  return 0
end
redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3])
return redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
