-- The workloads one assignment choice needs, in one round trip (AdjusterWorkloads.snapshot): the open-claim counts
-- of every adjuster, then the size of each given adjuster's assigned-today set; and, when a claimant is given, the
-- repeat-claimant count: the submission is recorded under its claimant (idempotent by claim id) and the
-- claimant's submissions in the window ending at this one are counted, this one included.
-- KEYS[1] adjusters:open-claims   KEYS[2 .. 1+n] the roster's adjusters' assigned-on-day sets, in roster order
-- KEYS[2+n] claimant:{<pseudonym>}:claims, when ARGV[1] is not ''
-- ARGV[1] claimId ('' for no claimant)   ARGV[2] submitted epoch ms   ARGV[3] window ms   ARGV[4] n
-- Answers { {adjuster, count, ...}, size of KEYS[2], ..., size of KEYS[1+n], claimant count (or 0) }.
local n = tonumber(ARGV[4])
local answer = { redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES') }
for i = 2, 1 + n do
  answer[i] = redis.call('SCARD', KEYS[i])
end
local count = 0
if ARGV[1] ~= '' then
  local claimant = KEYS[2 + n]
  local submitted = tonumber(ARGV[2])
  local window = tonumber(ARGV[3])
  redis.call('ZADD', claimant, 'NX', submitted, ARGV[1])
  count = redis.call('ZCOUNT', claimant, submitted - window, submitted)
  -- keep the set bounded; a late submission older than this would not be counted against anyway
  local newest = tonumber(redis.call('ZRANGE', claimant, -1, -1, 'WITHSCORES')[2])
  redis.call('ZREMRANGEBYSCORE', claimant, '-inf', '(' .. (newest - 2 * window))
  redis.call('PEXPIRE', claimant, 2 * window)
end
answer[2 + n] = count
return answer
