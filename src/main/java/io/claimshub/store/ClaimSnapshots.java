package io.claimshub.store;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Keeps each claim's snapshot hash ({@code claim:{CLM-...}}) caught up with the claim's own stream. The stream is
 * the source of truth and the snapshot remembers the last stream entry it folded ({@link #STREAM_ENTRY_ID}), so a
 * catch-up folds only what is new, and the snapshot is written only if it moves the claim forward: however often
 * and in whatever order events are delivered, by however many consumers, it ends equal to a full replay.
 */
public final class ClaimSnapshots {

    /** Snapshot hash field: the id of the claim-stream entry the snapshot was folded up to. */
    public static final String STREAM_ENTRY_ID = "streamEntryId";

    private static final RedisScript<Long> WRITE_IF_NEWER = RedisScripts.number("redis/write-snapshot.lua");
    private static final RedisScript<Long> REBUILD = RedisScripts.number("redis/rebuild-snapshot.lua");
    private static final RedisScript<List<Object>> READ_CLAIM = RedisScripts.replies("redis/read-claim.lua");

    private final StringRedisTemplate redis;
    private final ClaimEventStore store;
    private final ClaimLifecycle lifecycle;

    public ClaimSnapshots(RedisConnectionFactory connectionFactory, ClaimEventStore store, ClaimLifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.redis = RedisTemplates.strings(connectionFactory);
    }

    /**
     * The consumer route's step for one entry of the global log: checks that the entry is the very one the claim's
     * stream holds (same log entry id as recorded at the append, same fields), catches the claim's snapshot up, and
     * hands the claim's state on to the route's next step.
     *
     * @param globalEntryId the id of the delivered entry in the global log
     * @throws io.claimshub.event.InvalidEventException if the entry is not a claim event (its field named)
     * @throws EventNotInClaimStreamException if the event was never appended to its claim's stream, or the entry
     *         differs from it or is not the log entry its append wrote (a forgery or a copy)
     */
    public CaughtUpClaim onEvent(Map<String, String> globalLogEntryFields, String globalEntryId) {
        Objects.requireNonNull(globalEntryId, "the global log entry id is required");
        StoredEvent stored = StreamEntryCodec.decode(globalLogEntryFields);
        String claimId = stored.event().claimId();
        String eventId = stored.event().eventId().toString();
        // appended by this instance with its snapshot, and this is the log entry that append wrote (no other entry
        // can have its id): the event is in the claim's stream at this version and the stored snapshot has folded it
        Optional<ClaimState> written = store.takeSnapshotWrittenWith(claimId, stored.claimVersion(), eventId,
                globalEntryId);
        if (written.isPresent()) {
            return new CaughtUpClaim(stored, written.get());
        }
        // one round trip: the event's record in the claim's stream index with its entry there, the snapshot, and the
        // entries it lacks
        ClaimRead read = read(claimId, eventId);
        if (read.recorded() == null) {
            throw new EventNotInClaimStreamException(StreamEntryCodec.EVENT_ID, "event " + eventId + " ("
                    + stored.event().eventType() + ") was never appended to " + ClaimKeys.claimStream(claimId)
                    + "; events enter the hub through its ingestion, not by XADD to the global log");
        }
        // the record is "<version> <global entry id> <claim entry id>" (append-event.lua)
        String[] record = read.recorded().split(" ");
        long version = Long.parseLong(record[0]);
        if (version != stored.claimVersion()) {
            throw new EventNotInClaimStreamException(StreamEntryCodec.CLAIM_VERSION, "event " + eventId
                    + " is entry " + version + " of " + ClaimKeys.claimStream(claimId) + ", not "
                    + stored.claimVersion());
        }
        List<String> differing = differingFields(globalLogEntryFields, read.recordedEntry());
        if (!differing.isEmpty()) {
            throw new EventNotInClaimStreamException(differing.get(0), "log entry " + globalEntryId
                    + " differs from the claim stream's event at version " + version + ": "
                    + String.join(", ", differing));
        }
        if (!record[1].equals(globalEntryId)) {
            throw new EventNotInClaimStreamException(StreamEntryCodec.EVENT_ID, "log entry " + globalEntryId
                    + " is not the claim stream's event at version " + version + ", which was logged as entry "
                    + record[1] + "; a copy or a forgery");
        }
        return new CaughtUpClaim(stored, catchUp(claimId, read));
    }

    // the fields whose values differ, or that only one of the two has, in the stored entry's order
    private static List<String> differingFields(Map<String, String> delivered, Map<String, String> stored) {
        List<String> differing = new ArrayList<>();
        stored.forEach((field, value) -> {
            if (!value.equals(delivered.get(field))) {
                differing.add(field);
            }
        });
        delivered.keySet().stream().filter(field -> !stored.containsKey(field)).forEach(differing::add);
        return differing;
    }

    /** Folds the claim-stream entries the snapshot has not seen yet and stores the result if it is newer. */
    public void catchUp(String claimId) {
        catchUp(claimId, read(claimId, ""));
    }

    // the state after folding what the snapshot lacked; written when that moved it
    private ClaimState catchUp(String claimId, ClaimRead read) {
        ClaimState state = null;
        String position = read.snapshot().get(STREAM_ENTRY_ID);
        if (position != null) {
            state = ClaimState.fromFields(read.snapshot());
        }
        if (read.unseen().isEmpty()) {
            return state;
        }
        ClaimState current = state;
        for (ClaimStreamEntry entry : read.unseen()) {
            current = lifecycle.apply(current, entry.stored().event(), entry.stored().claimVersion());
        }
        write(claimId, current, read.unseen().get(read.unseen().size() - 1).entryId());
        return current;
    }

    private record ClaimRead(String recorded, Map<String, String> recordedEntry, Map<String, String> snapshot,
                             List<ClaimStreamEntry> unseen) {
    }

    private ClaimRead read(String claimId, String eventId) {
        List<Object> reply = redis.execute(READ_CLAIM,
                List.of(ClaimKeys.eventIds(claimId), ClaimKeys.snapshot(claimId), ClaimKeys.claimStream(claimId)),
                eventId, STREAM_ENTRY_ID);
        Object recorded = reply.get(0);
        // an XRANGE reply of at most one entry: [[id, [field, value, ...]]]
        List<?> recordedEntry = (List<?>) reply.get(3);
        Map<String, String> recordedFields = recordedEntry.isEmpty() ? Map.of()
                : ClaimEventStore.fields((List<?>) ((List<?>) recordedEntry.get(0)).get(1));
        return new ClaimRead(recorded == null ? null : recorded.toString(), recordedFields,
                ClaimEventStore.fields((List<?>) reply.get(1)), ClaimEventStore.entries((List<?>) reply.get(2)));
    }

    /** The claim's snapshot as stored; empty when none has been written. */
    public Optional<ClaimState> read(String claimId) {
        Map<Object, Object> fields = redis.opsForHash().entries(ClaimKeys.snapshot(claimId));
        return fields.isEmpty() ? Optional.empty() : Optional.of(ClaimState.fromFields(strings(fields)));
    }

    /** Replaces the snapshot with {@code state} unless the stored one is at the same or a later version. */
    boolean write(String claimId, ClaimState state, String streamEntryId) {
        Map<String, String> fields = new LinkedHashMap<>(state.toFields());
        fields.put(STREAM_ENTRY_ID, streamEntryId);
        List<String> args = new ArrayList<>(1 + fields.size() * 2);
        args.add(Long.toString(state.version()));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        Long written = redis.execute(WRITE_IF_NEWER, List.of(ClaimKeys.snapshot(claimId)), args.toArray());
        return written != null && written == 1;
    }

    /**
     * The snapshot's fields that differ from a replay of the claim's whole stream ({@link #STREAM_ENTRY_ID} included),
     * a field missing on either side counted as differing; empty when they agree or the claim has no events.
     */
    public List<String> differences(String claimId) {
        Map<String, String> replayed = replayedFields(claimId);
        if (replayed.isEmpty()) {
            return List.of();
        }
        Map<String, String> stored = strings(redis.opsForHash().entries(ClaimKeys.snapshot(claimId)));
        List<String> differing = new ArrayList<>();
        replayed.forEach((field, value) -> {
            if (!value.equals(stored.get(field))) {
                differing.add(field);
            }
        });
        stored.keySet().stream().filter(field -> !replayed.containsKey(field)).forEach(differing::add);
        return differing;
    }

    /**
     * Rewrites the snapshot from a replay of the claim's whole stream, unless a newer snapshot was written meanwhile.
     * Answers whether it was written.
     */
    public boolean rebuild(String claimId) {
        Map<String, String> fields = replayedFields(claimId);
        if (fields.isEmpty()) {
            return false;
        }
        List<String> args = new ArrayList<>(1 + fields.size() * 2);
        args.add(fields.get("version"));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        Long written = redis.execute(REBUILD, List.of(ClaimKeys.snapshot(claimId)), args.toArray());
        return written != null && written == 1;
    }

    /** The snapshot a replay of the claim's whole stream gives, as stored fields; empty for a claim without events. */
    private Map<String, String> replayedFields(String claimId) {
        List<ClaimStreamEntry> entries = store.entriesAfter(claimId, null);
        if (entries.isEmpty()) {
            return Map.of();
        }
        ClaimState state = null;
        for (ClaimStreamEntry entry : entries) {
            state = lifecycle.apply(state, entry.stored().event(), entry.stored().claimVersion());
        }
        Map<String, String> fields = new LinkedHashMap<>(state.toFields());
        fields.put(STREAM_ENTRY_ID, entries.get(entries.size() - 1).entryId());
        return fields;
    }

    private static Map<String, String> strings(Map<Object, Object> fields) {
        Map<String, String> result = new LinkedHashMap<>();
        fields.forEach((k, v) -> result.put(k.toString(), v.toString()));
        return result;
    }
}
