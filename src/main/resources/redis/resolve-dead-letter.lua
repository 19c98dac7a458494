-- Resolves one dead letter (DeadLetters): removes it and records the action in the audit stream, atomically and only
-- if it is still there, so two operators (or a retried request) never replay or discard it twice. A replay adds the
-- copy given in ARGV[8..] to the replay stream in the same step; the reply is its id ('' for a discard), or nil
-- when the dead letter was already gone.
-- KEYS[1] dead letters   KEYS[2] audit stream   KEYS[3] replay stream
-- ARGV[1] dead letter id   ARGV[2..7] audit at, who, action, target, reason, details   ARGV[8..] the copy's fields
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then
  return false
end
local replayId = ''
local details = ARGV[7]
if #ARGV > 7 then
  local args = {KEYS[3], '*'}
  for i = 8, #ARGV do
    args[#args + 1] = ARGV[i]
  end
  replayId = redis.call('XADD', unpack(args))
  details = details .. ' replayEntry=' .. replayId
end
redis.call('XADD', KEYS[2], '*', 'at', ARGV[2], 'who', ARGV[3], 'action', ARGV[4], 'target', ARGV[5],
  'reason', ARGV[6], 'details', details)
return replayId
