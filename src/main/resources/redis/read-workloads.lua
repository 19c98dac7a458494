-- The workloads one assignment choice needs, in one round trip (AdjusterWorkloads.snapshot): the open-claim counts
-- of every adjuster, then the size of each given adjuster's assigned-today set.
-- KEYS[1] adjusters:open-claims   KEYS[2..] the roster's adjusters' assigned-on-day sets, in roster order
-- Answers { {adjuster, count, adjuster, count, ...}, size of KEYS[2], size of KEYS[3], ... }.
local answer = { redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES') }
for i = 2, #KEYS do
  answer[i] = redis.call('SCARD', KEYS[i])
end
return answer
