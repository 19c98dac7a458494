-- Records a submission under its claimant's email (idempotent by claim id) and counts the claimant's submissions in
-- the window ending at this one, this one included (ClaimantHistory.recordAndCount).
-- KEYS[1] claimant:{email}:claims   ARGV[1] claimId  ARGV[2] submitted epoch ms  ARGV[3] window ms
local submitted = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], 'NX', submitted, ARGV[1])
local count = redis.call('ZCOUNT', KEYS[1], submitted - window, submitted)
-- keep the set bounded; a late submission older than this would not be counted against anyway
local newest = tonumber(redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (newest - 2 * window))
redis.call('PEXPIRE', KEYS[1], 2 * window)
return count
