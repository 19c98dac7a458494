-- Writes the analytics changes of a batch, added up per record and field, with every claim's new cursor; only if
-- each claim's cursor is still at the version its changes were counted from (so every claim version is counted
-- once, whichever instance or thread gets there first). Otherwise nothing is written. Each apply that writes leaves
-- a new token: when the token is still the one the batch's read found, no cursor moved since, and they are not read
-- again.
-- KEYS[1] current generation, KEYS[2] generation being rebuilt, KEYS[3] the token of the last apply.
-- ARGV: expected generation, expected rebuilding ('' none), the token the read found ('' none), this apply's token,
-- the cursors' expire-at epoch seconds; the records: n, then n times (key, expire-at epoch seconds, key set, name in
-- the key set); the cursors: n, then n times (cursor key, cursor field, expected version, new cursor); then the
-- changes to the end, each (op H (HINCRBY) | Z (ZADD) | I (ZINCRBY), record number, member, amount).
-- Answers {-1} when the generations moved (count again), the numbers of the cursors that moved (nothing written),
-- or {} when all is written.
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] or (redis.call('GET', KEYS[2]) or '') ~= ARGV[2] then
  return {-1}
end
local cursorExpireAt = ARGV[5]
local nRecords = tonumber(ARGV[6])
local firstRecord = 7
local nCursors = tonumber(ARGV[firstRecord + 4 * nRecords])
local firstCursor = firstRecord + 4 * nRecords + 1
local moved = {}
if ARGV[3] == '' or (redis.call('GET', KEYS[3]) or '') ~= ARGV[3] then
  for c = 0, nCursors - 1 do
    local at = firstCursor + 4 * c
    local current = redis.call('HGET', ARGV[at], ARGV[at + 1])
    local version = 0
    if current then
      version = tonumber(string.match(current, '^(%d+)|'))
    end
    if version ~= tonumber(ARGV[at + 2]) then
      moved[#moved + 1] = c + 1
    end
  end
end
if #moved > 0 then
  return moved
end
-- processing times: one ZADD per record
local scored, scoredKeys = {}, {}
for i = firstCursor + 4 * nCursors, #ARGV, 4 do
  local op, key, member, amount = ARGV[i], ARGV[firstRecord + 4 * (tonumber(ARGV[i + 1]) - 1)], ARGV[i + 2], ARGV[i + 3]
  if op == 'H' then
    redis.call('HINCRBY', key, member, amount)
  elseif op == 'Z' then
    local list = scored[key]
    if not list then
      list = {}
      scored[key] = list
      scoredKeys[#scoredKeys + 1] = key
    end
    list[#list + 1] = amount
    list[#list + 1] = member
  else
    redis.call('ZINCRBY', key, amount, member)
  end
end
for _, key in ipairs(scoredKeys) do
  local list = scored[key]
  -- unpack has a limit: a long list goes in parts (of whole score-member pairs)
  for from = 1, #list, 1000 do
    redis.call('ZADD', key, unpack(list, from, math.min(#list, from + 999)))
  end
end
for c = 0, nCursors - 1 do
  local at = firstCursor + 4 * c
  redis.call('HSET', ARGV[at], ARGV[at + 1], ARGV[at + 3])
  redis.call('EXPIREAT', ARGV[at], cursorExpireAt)
end
for r = 0, nRecords - 1 do
  local at = firstRecord + 4 * r
  redis.call('EXPIREAT', ARGV[at], ARGV[at + 1])
  redis.call('SADD', ARGV[at + 2], ARGV[at + 3])
end
redis.call('SET', KEYS[3], ARGV[4])
return {}
