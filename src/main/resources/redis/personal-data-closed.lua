-- A claim closed (paid or rejected): off the claimant's open claims, and their retention clock restarted at the
-- closure unless a later closure is recorded already. KEYS[1] open-claims hash, KEYS[2] the retention index;
-- ARGV[1] claim id, ARGV[2] pseudonym, ARGV[3] closure epoch ms.
redis.call('HDEL', KEYS[1], ARGV[1])
local at = tonumber(ARGV[3])
local known = redis.call('ZSCORE', KEYS[2], ARGV[2])
if not known or tonumber(known) < at then
  redis.call('ZADD', KEYS[2], at, ARGV[2])
end
return 1
