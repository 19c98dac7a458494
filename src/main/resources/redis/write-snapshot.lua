-- Replaces the claim snapshot only if it moves the claim forward (ClaimSnapshots.catchUp): a slower or repeated
-- catch-up never writes an older snapshot over a newer one.
-- KEYS[1] claim:{CLM-...}   ARGV[1] the new snapshot's version   ARGV[2..] the whole snapshot's field/value pairs
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if stored >= tonumber(ARGV[1]) then
  return 0
end
-- replace rather than merge: a field the new snapshot leaves out (e.g. a cleared slaBreachedAt) must go
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
