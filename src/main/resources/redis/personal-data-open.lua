-- The current data keys of one or more claimants, each created if there is none (personal data protection,
-- PersonalData), in order: a claimant named twice gets, the second time, the key made the first.
-- KEYS per claimant: the claimant's key hash (PersonalDataKeys.claimant), their open claims (hash: claim id -> ms opened)
-- ARGV[1] now (ms); then per claimant: the claim being opened ('' when only the key is wanted), a new key id, that
-- key wrapped, '1' to create a key when there is none, '0' to answer nothing then (an erased claimant)
-- Answers one reply per claimant: {key id, wrapped key}, or an empty list.
local replies = {}
for i = 1, #KEYS / 2 do
  local claimant, open = KEYS[2 * i - 1], KEYS[2 * i]
  local a = 4 * i - 2
  local claimId, newKid, newWrapped, create = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  if claimId ~= '' then
    redis.call('HSETNX', open, claimId, ARGV[1])
  end
  local reply = {}
  local kid = redis.call('HGET', claimant, 'current')
  local wrapped = kid and redis.call('HGET', claimant, 'k:' .. kid)
  if wrapped then
    reply = {kid, wrapped}
  elseif create == '1' then
    redis.call('HSET', claimant, 'current', newKid, 'k:' .. newKid, newWrapped)
    redis.call('HDEL', claimant, 'erasedAt')
    reply = {newKid, newWrapped}
  end
  replies[i] = reply
end
return replies
