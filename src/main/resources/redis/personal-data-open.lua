-- The claimant's current data key, created if there is none (personal data protection, PersonalData).
-- KEYS[1] the claimant's key hash (PersonalDataKeys.claimant), KEYS[2] their open claims (hash: claim id -> ms opened)
-- ARGV[1] the claim being opened ('' when only the key is wanted), ARGV[2] new key id, ARGV[3] that key wrapped,
-- ARGV[4] '1' to create a key when there is none, '0' to answer nothing then (an erased claimant), ARGV[5] now (ms)
-- Answers {key id, wrapped key}, or an empty list.
if ARGV[1] ~= '' then
  redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[5])
end
local kid = redis.call('HGET', KEYS[1], 'current')
if kid then
  local wrapped = redis.call('HGET', KEYS[1], 'k:' .. kid)
  if wrapped then
    return {kid, wrapped}
  end
end
if ARGV[4] ~= '1' then
  return {}
end
redis.call('HSET', KEYS[1], 'current', ARGV[2], 'k:' .. ARGV[2], ARGV[3])
redis.call('HDEL', KEYS[1], 'erasedAt')
return {ARGV[2], ARGV[3]}
