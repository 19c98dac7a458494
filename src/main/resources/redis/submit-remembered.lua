-- Submits the new claims of several lines of a bulk ingress in one call (SubmissionChunks), each line as one atomic
-- step of its own, in order: a line whose remembered key or idempotency record is found appends nothing; any other
-- line appends its claim's first event (claim stream, global log, event-id index, snapshot), makes its idempotency
-- record done and remembers its claim, all at once. A line never leaves a pending record, so a crash cannot strand one.
-- KEYS[1] the global log; then per line, in the order of its arguments: its remembered key, claim:{CLM-...}:events,
-- claim:{CLM-...}:event-ids, claim:{CLM-...} (the snapshot), then ARGV[2] idempotency buckets, this hour's first.
-- ARGV[1] the number of lines   ARGV[2] buckets per line   ARGV[3] now (epoch seconds)
-- ARGV[4] seconds this hour's bucket lives   ARGV[5] seconds a remembered key lives   ARGV[6] the length of a done
-- record (a pending one's lease follows it)   ARGV[7] the claim ids' prefix
-- then per line: record id, the done record to store, claim id, event id, n, the n stream entry arguments (field/value
-- pairs, claimVersion 1 included), m, the m snapshot arguments (field/value pairs of version 1, the last pair being the
-- field that records its stream position and a stand-in for the claim entry's id), then the entry's chainHash, the
-- first link of its claim's chain (EventChain.firstLink: the line is only ever appended as its claim's first entry),
-- which the entry gets as its last field ('' for none: benchmarks only)
-- Answers one reply per line: {'remembered', claimId}, {'held', record} (a live record made before: done, or pending
-- with its lease running), {'appended', claimEntryId, globalEntryId} or {'conflict', version} (the claim id is taken).
local lines, buckets, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local doneLength = tonumber(ARGV[6])
local replies = {}
local k, a = 2, 8
for line = 1, lines do
  local remembered, stream, eventIds, snapshot = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
  local firstBucket = k + 4
  k = firstBucket + buckets
  local recordId, done, claimId, eventId = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local n = tonumber(ARGV[a + 4])
  local entryFrom = a + 5
  local m = tonumber(ARGV[entryFrom + n])
  local snapshotFrom = entryFrom + n + 1
  local link = ARGV[snapshotFrom + m]
  a = snapshotFrom + m + 1
  local claim = redis.call('GET', remembered)
  if claim then
    replies[line] = {'remembered', claim}
  else
    local held = false
    for b = firstBucket, firstBucket + buckets - 1 do
      local record = redis.call('HGET', KEYS[b], recordId)
      if record then
        if string.sub(record, 1, 1) == 'D' or tonumber(string.sub(record, doneLength + 1)) > now then
          held = record
          break
        end
        -- a reservation whose request died with its hub: its lease is over
        redis.call('HDEL', KEYS[b], recordId)
      end
    end
    if held then
      -- the same payload (its fingerprint follows the record's first character) done before: remember its claim
      if string.sub(held, 1, 1) == 'D' and string.sub(held, 2, 13) == string.sub(done, 2, 13) then
        redis.call('SET', remembered, ARGV[7] .. string.sub(held, 14, 21), 'EX', ARGV[5])
      end
      replies[line] = {'held', held}
    else
      -- a claim's stream is never trimmed: an empty one is a claim id no claim has, so no event id or snapshot either
      local current = redis.call('XLEN', stream)
      if current ~= 0 then
        replies[line] = {'conflict', tostring(current)}
      else
        local fields = {unpack(ARGV, entryFrom, entryFrom + n - 1)}
        if link ~= '' then
          fields[#fields + 1] = 'chainHash'
          fields[#fields + 1] = link
        end
        local claimEntryId = redis.call('XADD', stream, '*', unpack(fields))
        local globalEntryId = redis.call('XADD', KEYS[1], '*', unpack(fields))
        redis.call('HSET', eventIds, eventId, '1 ' .. globalEntryId .. ' ' .. claimEntryId)
        -- the snapshot's last pair is its stream position, whose value is the entry's id
        ARGV[snapshotFrom + m - 1] = claimEntryId
        redis.call('HSET', snapshot, unpack(ARGV, snapshotFrom, snapshotFrom + m - 1))
        redis.call('HSET', KEYS[firstBucket], recordId, done)
        redis.call('EXPIRE', KEYS[firstBucket], ARGV[4])
        redis.call('SET', remembered, claimId, 'EX', ARGV[5])
        replies[line] = {'appended', claimEntryId, globalEntryId}
      end
    end
  end
end
return replies
