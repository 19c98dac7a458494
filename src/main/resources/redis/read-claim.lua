-- Everything a catch-up of one claim's snapshot needs, in one round trip (ClaimSnapshots): the event's record in the
-- claim's event-id index with the claim-stream entry it names (to check a global-log entry against), the snapshot as
-- stored, and the claim-stream entries the snapshot has not folded yet. The three keys share the claim's hash tag.
-- Reading the snapshot before the stream, under one atomic step, means the unseen entries are exactly those after the
-- snapshot's position.
-- KEYS[1] claim:{CLM-...}:event-ids   KEYS[2] claim:{CLM-...}   KEYS[3] claim:{CLM-...}:events
-- ARGV[1] the event id to look up ('' for none)   ARGV[2] the snapshot field holding its stream position
-- Answers { record or nil, snapshot field/value list, XRANGE reply of the unseen entries,
--           XRANGE reply of the recorded claim-stream entry (empty without a record) }.
local recorded = false
local stored = {}
if ARGV[1] ~= '' then
  recorded = redis.call('HGET', KEYS[1], ARGV[1])
  if recorded then
    -- the record is "<version> <global entry id> <claim entry id>" (append-event.lua)
    local claimEntryId = string.match(recorded, '(%S+)$')
    stored = redis.call('XRANGE', KEYS[3], claimEntryId, claimEntryId)
  end
end
local snapshot = redis.call('HGETALL', KEYS[2])
local after = '-'
for i = 1, #snapshot, 2 do
  if snapshot[i] == ARGV[2] then
    -- '(' makes the start exclusive (Redis 6.2+)
    after = '(' .. snapshot[i + 1]
  end
end
-- a snapshot without a stream position (not written by a catch-up) is rebuilt from the whole stream
return { recorded, snapshot, redis.call('XRANGE', KEYS[3], after, '+'), stored }
