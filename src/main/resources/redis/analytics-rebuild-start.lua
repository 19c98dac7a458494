-- Starts a rebuild of the analytics: the generation after the current one is filled from then on by the live
-- counters and by the rebuild's pass over the log. A rebuild already under way (its process stopped) is resumed.
-- KEYS[1] current generation, KEYS[2] generation being rebuilt. Answers the generation being rebuilt.
local rebuilding = redis.call('GET', KEYS[2])
if rebuilding then
  return rebuilding
end
local next = tostring(tonumber(redis.call('GET', KEYS[1]) or '0') + 1)
redis.call('SET', KEYS[2], next)
return next
