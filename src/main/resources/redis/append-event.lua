-- Appends one claim event atomically to the claim's stream and to the global log (ClaimEventStore.append), and
-- optionally stores the claim's snapshot as that event leaves it. All keys but the global log share the claim's tag.
-- KEYS[1] claim:{CLM-...}:events   KEYS[2] the global log (claims:events)   KEYS[3] claim:{CLM-...}:event-ids
-- KEYS[4] claim:{CLM-...} (the snapshot)
-- ARGV[1] eventId   ARGV[2] expected version, -1 for any   ARGV[3] n, the number of entry arguments that follow
-- ARGV[4 .. 3+n] the entry's field/value pairs, claimVersion left out
-- ARGV[4+n] the snapshot field that records its stream position, or '' to leave the snapshot alone
-- ARGV[5+n ..] the snapshot's field/value pairs as the caller folded them for the new version (its 'version' field
-- included): written only if the stored snapshot is at an older version, replacing it whole, with the new claim
-- entry's id as its position.
-- KEYS[5], optional: the bucket of a submission's idempotency record; then the last three arguments are the record
-- id, the pending record this request reserved and the done record. The event is appended only while the record is
-- still that reservation, and the record is made done with it.
-- The last two arguments, after all others: the claim's chain key XOR the HMAC ipad and opad (EventChain, 64 bytes each);
-- both '' (benchmarks only) write no link.
-- The entry gets, as its last field, chainHash = HMAC-SHA1 over the previous entry's chainHash ('' for the first
-- entry, or after entries written before the chain) and the entry's fields in order (EventChain.link).
-- Answers {'appended', version, claimEntryId, globalEntryId}, {'duplicate', <the same, as first recorded>},
-- {'conflict', currentVersion} or {'reservation-lost'}.
local function bytes(hex)
  return (string.gsub(hex, '..', function(h) return string.char(tonumber(h, 16)) end))
end
local function chainHash(ipad, opad, previous, fields)
  local parts = {previous, '\n'}
  for i = 1, #fields do
    parts[#parts + 1] = #fields[i] .. ':' .. fields[i]
  end
  return redis.sha1hex(opad .. bytes(redis.sha1hex(ipad .. table.concat(parts))))
end
local ipad, opad = ARGV[#ARGV - 1], ARGV[#ARGV]
local last = #ARGV - 2
local record = KEYS[5]
if record then
  last = last - 3
  if redis.call('HGET', record, ARGV[last + 1]) ~= ARGV[last + 2] then
    return {'reservation-lost'}
  end
end
local recorded = redis.call('HGET', KEYS[3], ARGV[1])
if recorded then
  local version, globalEntryId, claimEntryId = string.match(recorded, '^(%d+) (%S+) (%S+)$')
  if record then
    redis.call('HSET', record, ARGV[last + 1], ARGV[last + 3])
  end
  return {'duplicate', version, claimEntryId, globalEntryId}
end
-- a claim's stream is never trimmed, so its length is the claim's version
local current = redis.call('XLEN', KEYS[1])
local expected = tonumber(ARGV[2])
if expected >= 0 and current ~= expected then
  return {'conflict', tostring(current)}
end
local version = current + 1
local n = tonumber(ARGV[3])
local fields = {}
for i = 4, 3 + n do fields[#fields + 1] = ARGV[i] end
fields[#fields + 1] = 'claimVersion'
fields[#fields + 1] = tostring(version)
if ipad ~= '' then
  -- the claim's stream is its chain: link this entry to the last one's hash ('' before the first, or after entries
  -- written before the chain existed)
  local previous = ''
  if current > 0 then
    local head = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1][2]
    for i = #head - 1, 1, -2 do
      if head[i] == 'chainHash' then
        previous = head[i + 1]
        break
      end
    end
  end
  local hash = chainHash(ipad, opad, previous, fields)
  fields[#fields + 1] = 'chainHash'
  fields[#fields + 1] = hash
end
local claimEntryId = redis.call('XADD', KEYS[1], '*', unpack(fields))
local globalEntryId = redis.call('XADD', KEYS[2], '*', unpack(fields))
redis.call('HSET', KEYS[3], ARGV[1], version .. ' ' .. globalEntryId .. ' ' .. claimEntryId)
local position = ARGV[4 + n]
if position ~= '' then
  local stored = tonumber(redis.call('HGET', KEYS[4], 'version') or '0')
  if stored < version then
    local snapshot = {}
    for i = 5 + n, last do snapshot[#snapshot + 1] = ARGV[i] end
    snapshot[#snapshot + 1] = position
    snapshot[#snapshot + 1] = claimEntryId
    redis.call('DEL', KEYS[4])
    redis.call('HSET', KEYS[4], unpack(snapshot))
  end
end
if record then
  redis.call('HSET', record, ARGV[last + 1], ARGV[last + 3])
end
return {'appended', tostring(version), claimEntryId, globalEntryId}
