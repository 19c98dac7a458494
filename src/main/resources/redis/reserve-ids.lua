-- Reserves a submission's idempotency record, or answers the live record there already (IdempotencyRecords).
-- KEYS the buckets that may hold the record (ClaimKeys.idempotencyBucket), this hour's first
-- ARGV[1] the record id   ARGV[2] the pending record   ARGV[3] now (epoch seconds)
-- ARGV[4] seconds this hour's bucket lives   ARGV[5] the length of a done record; a pending one's lease follows it
for i = 1, #KEYS do
  local held = redis.call('HGET', KEYS[i], ARGV[1])
  if held then
    local leaseUntil = tonumber(string.sub(held, tonumber(ARGV[5]) + 1))
    if string.sub(held, 1, 1) == 'D' or leaseUntil > tonumber(ARGV[3]) then
      return held
    end
    -- a reservation whose request died with its hub: its lease is over
    redis.call('HDEL', KEYS[i], ARGV[1])
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return ARGV[2]
