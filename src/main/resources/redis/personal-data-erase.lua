-- Crypto-shredding: destroys every data key of the claimant and records the erasure in the operations audit stream,
-- in one atomic step (PersonalData.erase).
-- KEYS[1] the claimant's key hash, KEYS[2] their open-claims set, KEYS[3] the retention index, KEYS[4] ops:audit
-- ARGV[1] erasedAt (ISO instant), ARGV[2] pseudonym, ARGV[3..] the audit entry's field/value pairs
-- Answers the number of data keys destroyed, or -1 when the claimant has no key hash at all.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local destroyed = 0
local fields = redis.call('HKEYS', KEYS[1])
for _, field in ipairs(fields) do
  if string.sub(field, 1, 2) == 'k:' then
    redis.call('HDEL', KEYS[1], field)
    destroyed = destroyed + 1
  end
end
redis.call('HDEL', KEYS[1], 'current')
redis.call('HSET', KEYS[1], 'erasedAt', ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
local audit = {}
for i = 3, #ARGV do
  audit[#audit + 1] = ARGV[i]
end
redis.call('XADD', KEYS[4], '*', unpack(audit))
return destroyed
