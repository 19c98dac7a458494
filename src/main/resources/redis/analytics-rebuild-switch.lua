-- Switches the API to a rebuilt generation in one atomic step: the current generation's records are deleted and
-- the rebuilt ones take their names. KEYS[1] current generation, KEYS[2] generation being rebuilt, KEYS[3] the
-- current generation's key set, KEYS[4] the rebuilt generation's key set.
-- ARGV[1] the generation rebuilt, ARGV[2] the live records' prefix, ARGV[3] the rebuilt records' prefix.
-- Answers 1, or 0 when that rebuild is no longer the one under way.
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return 0
end
for _, suffix in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  redis.call('UNLINK', ARGV[2] .. suffix)
end
for _, suffix in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if redis.call('EXISTS', ARGV[3] .. suffix) == 1 then
    redis.call('RENAME', ARGV[3] .. suffix, ARGV[2] .. suffix)
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
return 1
