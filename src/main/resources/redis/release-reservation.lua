-- Deletes a submission's pending idempotency record if it is still this request's reservation (IdempotencyRecords,
-- when the submission failed), so the key is free again at once.
-- KEYS[1] the record's bucket   ARGV[1] the record id   ARGV[2] the pending record
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
