-- Moves a consumer group's last-delivered id (GroupPositions): the group's next read starts after ARGV[2]. Unless
-- forced (ARGV[3] = 1), refuses to move it forward past an entry it has not been delivered yet, judged against the
-- group's position at this moment (its consumers keep reading while the request is made).
-- KEYS[1] the stream   ARGV[1] group   ARGV[2] new last-delivered id   ARGV[3] 1 to force
-- Answers {1, previous id} when moved, {0, previous id} when refused, {-1} when there is no such group
if redis.call('TYPE', KEYS[1]).ok ~= 'stream' then return {-1} end
local previous
for _, raw in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local g = {}
  for i = 1, #raw, 2 do g[raw[i]] = raw[i + 1] end
  if g['name'] == ARGV[1] then previous = g['last-delivered-id'] end
end
if not previous then return {-1} end
-- an empty range when the new id is not after the current one: nothing skipped
if ARGV[3] ~= '1' then
  local skipped = redis.call('XRANGE', KEYS[1], '(' .. previous, ARGV[2], 'COUNT', 1)
  if #skipped > 0 then return {0, previous} end
end
redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], ARGV[2])
return {1, previous}
