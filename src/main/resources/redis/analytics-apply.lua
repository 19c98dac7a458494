-- Applies the analytics changes of a batch, each claim's only if its cursor is still at the version they were
-- counted from (so every claim version is counted once, whichever instance or thread gets there first).
-- KEYS[1] current generation, KEYS[2] generation being rebuilt.
-- ARGV: expected generation, expected rebuilding ('' none), then the record table: n, then n times
-- (key, expire-at epoch seconds, key set, name in the key set); then groups: n, then n times
-- (cursor key, cursor field, expected version, new cursor, cursor expire-at, number of changes, then per change:
-- op H (HINCRBY) | Z (ZADD) | I (ZINCRBY), record index, member, amount).
-- Answers {-1} when the generations moved (count again), else the numbers of the groups not applied.
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] or (redis.call('GET', KEYS[2]) or '') ~= ARGV[2] then
  return {-1}
end
local i = 3
local nRecords = tonumber(ARGV[i])
i = i + 1
local records = {}
local firstRecord = i
for r = 1, nRecords do
  records[r] = ARGV[i]
  i = i + 4
end
local nGroups = tonumber(ARGV[i])
i = i + 1
local skipped = {}
for g = 1, nGroups do
  local cursorKey, field, expected, cursor, cursorExpireAt = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3], ARGV[i + 4]
  local nChanges = tonumber(ARGV[i + 5])
  i = i + 6
  local current = redis.call('HGET', cursorKey, field)
  local version = 0
  if current then
    version = tonumber(string.match(current, '^(%d+)|'))
  end
  if version == expected then
    for c = 1, nChanges do
      local op, key, member, amount = ARGV[i], records[tonumber(ARGV[i + 1])], ARGV[i + 2], ARGV[i + 3]
      if op == 'H' then
        redis.call('HINCRBY', key, member, amount)
      elseif op == 'Z' then
        redis.call('ZADD', key, amount, member)
      else
        redis.call('ZINCRBY', key, amount, member)
      end
      i = i + 4
    end
    redis.call('HSET', cursorKey, field, cursor)
    redis.call('EXPIREAT', cursorKey, cursorExpireAt)
  else
    i = i + 4 * nChanges
    skipped[#skipped + 1] = g
  end
end
for r = 0, nRecords - 1 do
  local at = firstRecord + 4 * r
  if redis.call('EXISTS', ARGV[at]) == 1 then
    redis.call('EXPIREAT', ARGV[at], ARGV[at + 1])
    redis.call('SADD', ARGV[at + 2], ARGV[at + 3])
  end
end
return skipped
