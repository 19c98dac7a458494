-- Counts a stream's entries after ARGV[1] (exclusive) up to ARGV[2] (inclusive), at most ARGV[3] of them in one call
-- so Redis is never held for long (GroupPositions calls it again from the last id answered).
-- KEYS[1] the stream   Answers {count, last id counted (or ARGV[1] when none)}
local from, counted, lastId = '(' .. ARGV[1], 0, ARGV[1]
local cap = tonumber(ARGV[3])
while counted < cap do
  local chunk = redis.call('XRANGE', KEYS[1], from, ARGV[2], 'COUNT', math.min(1000, cap - counted))
  if #chunk == 0 then break end
  counted = counted + #chunk
  lastId = chunk[#chunk][1]
  from = '(' .. lastId
end
return {counted, lastId}
