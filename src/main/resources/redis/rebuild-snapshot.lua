-- Replaces the claim snapshot with one rebuilt from the claim's stream (ClaimSnapshots.rebuild), also at the same
-- version (a damaged snapshot), but never over a newer one written meanwhile.
-- KEYS[1] claim:{CLM-...}   ARGV[1] the rebuilt snapshot's version   ARGV[2..] the whole snapshot's field/value pairs
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if stored and stored > tonumber(ARGV[1]) then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
