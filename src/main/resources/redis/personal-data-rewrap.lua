-- Master-key rotation: replaces one wrapped data key only if it is still the one read (an erasure meanwhile is not
-- undone). KEYS[1] the claimant's key hash; ARGV[1] field (k:<key id>), ARGV[2] wrapped as read, ARGV[3] rewrapped.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
