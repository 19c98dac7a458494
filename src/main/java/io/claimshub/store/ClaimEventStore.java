package io.claimshub.store;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The claims' event store on Redis Streams. Each claim has its own stream, {@code claim:{CLM-...}:events}, whose
 * length is the claim's version: per-claim streams are never trimmed (only the global log may be). Every event is
 * also copied to the global log that the consumer groups read. See docs/events.md, "Storage layout".
 */
public final class ClaimEventStore {

    /** Append without checking the claim's version. */
    public static final long ANY = -1;

    private static final RedisScript<List<String>> APPEND = RedisScripts.list("redis/append-event.lua");

    private static final int RECENT_SNAPSHOTS_KEPT = 10_000;
    // how long a delivery waits for the append of its event (on another thread) to answer
    private static final long RECENT_SNAPSHOT_WAIT_MILLIS = 2_000;
    // not taken by then: its delivery went to another instance
    private static final long RECENT_SNAPSHOT_MAX_AGE_MILLIS = 60_000;

    private final StringRedisTemplate redis;
    private final ClaimKeys keys;
    private final EventChain chain;
    private final ClaimLifecycle lifecycle = new ClaimLifecycle();
    // the snapshots this instance stored with its appends, until the processors take them (normally ms later)
    private final RecentWrites<SnapshotWritten> snapshotsWritten = new RecentWrites<>(RECENT_SNAPSHOTS_KEPT, RECENT_SNAPSHOT_WAIT_MILLIS,
            RECENT_SNAPSHOT_MAX_AGE_MILLIS);

    // the state an append stored, and the global log entry it wrote: only that entry's delivery may take the state
    private record SnapshotWritten(ClaimState state, String globalEntryId) {
    }

    /** A store whose hash chain uses the public key ({@link EventChain#unkeyed()}). */
    public ClaimEventStore(RedisConnectionFactory connectionFactory, String globalLog) {
        this(connectionFactory, globalLog, EventChain.unkeyed());
    }

    /** A store linking each claim's events in {@code chain} ({@code hub.chain.key}). */
    public ClaimEventStore(RedisConnectionFactory connectionFactory, String globalLog, EventChain chain) {
        this.keys = new ClaimKeys(globalLog);
        this.redis = RedisTemplates.strings(connectionFactory);
        this.chain = chain;
    }

    /** The hash chain every append of this store extends. */
    public EventChain chain() {
        return chain;
    }

    public String globalLog() {
        return keys.globalLog();
    }

    /**
     * Appends the event to its claim's stream and to the global log in one atomic script (one round trip).
     * An event id the claim already has answers {@link AppendResult.Duplicate} with the first result, so a retry
     * is safe; it is checked before the version, so a retry succeeds even after the claim moved on.
     *
     * @param expectedVersion the claim's version the caller decided on (0 for a new claim), or {@link #ANY}
     */
    public AppendResult append(EventEnvelope event, long expectedVersion) {
        return append(event, expectedVersion, null);
    }

    /**
     * As {@link #append(EventEnvelope, long)}, and in the same atomic step stores {@code stateAfter} (the claim as
     * this event leaves it, folded by the caller for version {@code expectedVersion + 1}) as the claim's snapshot,
     * unless the stored one is at that or a later version: whoever appends an event shows its effect at once. Read
     * models still catch up from the stream ({@link ClaimSnapshots}), so a snapshot not written here is not lost.
     */
    public AppendResult append(EventEnvelope event, long expectedVersion, ClaimState stateAfter) {
        return append(event, expectedVersion, stateAfter, null);
    }

    /**
     * As {@link #append(EventEnvelope, long, ClaimState)} for a submission holding a pending idempotency record:
     * appended only while the record is still that reservation ({@link AppendResult.ReservationLost} otherwise), and
     * the record is made done in the same atomic step.
     */
    AppendResult append(EventEnvelope event, long expectedVersion, ClaimState stateAfter,
                        IdempotencyRecords.Reservation reservation) {
        if (expectedVersion < ANY) {
            throw new IllegalArgumentException("expected version must be at least 0, or ANY (-1); was " + expectedVersion);
        }
        if (stateAfter != null && (expectedVersion == ANY || stateAfter.version() != expectedVersion + 1)) {
            throw new IllegalArgumentException("a snapshot written with the append must be of version "
                    + (expectedVersion + 1) + " (the expected version + 1); was " + stateAfter.version()
                    + (expectedVersion == ANY ? " with no expected version" : ""));
        }
        ScriptCall call = appendCall(event, expectedVersion, stateAfter, reservation);
        // announced before the append: the entry may reach the processors on another thread the moment it lands
        RecentWrites<SnapshotWritten>.Write write = announce(event, stateAfter);
        AppendResult result = null;
        try {
            result = appendResult(redis.execute(APPEND, call.keys(), call.args().toArray()));
            return result;
        } finally {
            finish(write, stateAfter, result);
        }
    }

    /** A submission to reserve and append in a batch: its reservation's script, and the append that holds it. */
    record ReservedSubmission(ScriptCall reserve, IdempotencyRecords.Reservation mine, EventEnvelope event,
                              ClaimState stateAfter) {
    }

    /**
     * What became of a {@link ReservedSubmission}: the record its reservation script found or made ({@code held}),
     * and the append's result, {@link AppendResult.ReservationLost} when the reservation was not the one made.
     */
    record ReservedAppend(String held, AppendResult result) {
    }

    /**
     * Reserves and appends new claims' submissions in one pipelined round trip: per submission, its
     * reservation script, then its append, which runs only while the record is the reservation made just before (as
     * {@link #append(EventEnvelope, long, ClaimState, IdempotencyRecords.Reservation)} does). Each script is atomic
     * alone; a twin found reserved or done is left untouched.
     */
    List<ReservedAppend> reserveAndAppend(Iterator<ReservedSubmission> submissions) {
        if (!submissions.hasNext()) {
            return List.of();
        }
        List<ReservedSubmission> sent = new ArrayList<>();
        List<RecentWrites<SnapshotWritten>.Write> writes = new ArrayList<>();
        List<ReservedAppend> results = new ArrayList<>();
        try {
            // taken from the iterator as the pipeline is written, so Redis runs the first while the next is prepared
            List<Object> replies = ScriptCall.pipelined(redis, calls -> submissions.forEachRemaining(submission -> {
                if (submission.stateAfter().version() != 1) {
                    throw new IllegalArgumentException("a submission's snapshot is of version 1; was "
                            + submission.stateAfter().version());
                }
                sent.add(submission);
                // announced before the append: the entry may reach the processors the moment it lands
                writes.add(announce(submission.event(), submission.stateAfter()));
                calls.accept(submission.reserve());
                calls.accept(appendCall(submission.event(), 0, submission.stateAfter(), submission.mine()));
            }));
            for (int i = 0; i < sent.size(); i++) {
                results.add(new ReservedAppend(string(replies.get(2 * i)), appendResult((List<?>) replies.get(2 * i + 1))));
            }
            return results;
        } finally {
            for (int i = 0; i < writes.size(); i++) {
                finish(writes.get(i), sent.get(i).stateAfter(), i < results.size() ? results.get(i).result() : null);
            }
        }
    }

    private ScriptCall appendCall(EventEnvelope event, long expectedVersion, ClaimState stateAfter,
                                  IdempotencyRecords.Reservation reservation) {
        Map<String, String> fields = new LinkedHashMap<>(StreamEntryCodec.encode(event, 1));
        // the script numbers the entry, so the version is read and written under the same atomic step
        fields.remove(StreamEntryCodec.CLAIM_VERSION);
        Map<String, String> snapshot = stateAfter == null ? Map.of() : stateAfter.toFields();
        List<String> args = new ArrayList<>(4 + fields.size() * 2 + snapshot.size() * 2);
        args.add(event.eventId().toString());
        args.add(Long.toString(expectedVersion));
        args.add(Integer.toString(fields.size() * 2));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        args.add(stateAfter == null ? "" : ClaimSnapshots.STREAM_ENTRY_ID);
        snapshot.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        String claimId = event.claimId();
        List<String> scriptKeys = new ArrayList<>(List.of(ClaimKeys.claimStream(claimId), keys.globalLog(),
                ClaimKeys.eventIds(claimId), ClaimKeys.snapshot(claimId)));
        if (reservation != null) {
            scriptKeys.add(reservation.bucket());
            args.add(reservation.recordId());
            args.add(reservation.record().encode());
            args.add(reservation.record().asDone().encode());
        }
        // last: the chain key's HMAC pads, with which the script links the entry to the one before (EventChain)
        args.addAll(chain.scriptPads(claimId));
        return new ScriptCall(APPEND, scriptKeys, args);
    }

    private static AppendResult appendResult(List<?> reply) {
        return switch (string(reply.get(0))) {
            case "appended" -> new AppendResult.Appended(Long.parseLong(string(reply.get(1))), string(reply.get(2)),
                    string(reply.get(3)));
            case "duplicate" -> new AppendResult.Duplicate(Long.parseLong(string(reply.get(1))), string(reply.get(2)),
                    string(reply.get(3)));
            case "conflict" -> new AppendResult.VersionConflict(Long.parseLong(string(reply.get(1))));
            case "reservation-lost" -> new AppendResult.ReservationLost();
            default -> throw new IllegalStateException("unexpected answer from the append script: " + reply);
        };
    }

    private RecentWrites<SnapshotWritten>.Write announce(EventEnvelope event, ClaimState stateAfter) {
        return stateAfter == null ? null
                : snapshotsWritten.begin(event.claimId(), stateAfter.version(), event.eventId().toString());
    }

    // appended at the version the state was folded for: the stored snapshot is that state (or, by now, a later one)
    private static void finish(RecentWrites<SnapshotWritten>.Write write, ClaimState stateAfter, AppendResult result) {
        if (write != null) {
            write.finish(result instanceof AppendResult.Appended appended
                    ? new SnapshotWritten(stateAfter, appended.globalEntryId()) : null);
        }
    }

    /**
     * The state this instance stored as the claim's snapshot when it appended exactly this event (claim, version,
     * event id) as global log entry {@code globalEntryId}, waiting for an append still in flight on another thread;
     * empty when this instance did not write it (or forgot it), or wrote another log entry (the delivered one is a
     * copy or a forgery). Taken once: the caller can skip reading the snapshot back, as the stored one is this state
     * or a later one.
     */
    public Optional<ClaimState> takeSnapshotWrittenWith(String claimId, long version, String eventId,
                                                        String globalEntryId) {
        return snapshotsWritten.take(claimId, version, eventId)
                .filter(written -> written.globalEntryId().equals(globalEntryId))
                .map(SnapshotWritten::state);
    }

    /** The claim's events in the order they were appended; empty when the claim does not exist. */
    public List<StoredEvent> history(String claimId) {
        return entriesAfter(claimId, null).stream().map(ClaimStreamEntry::stored).toList();
    }

    /**
     * The claim's stream entries after {@code entryIdOrNull} (exclusive), or all of them when it is null.
     *
     * @throws io.claimshub.event.InvalidEventException if an entry cannot be read as an event
     */
    public List<ClaimStreamEntry> entriesAfter(String claimId, String entryIdOrNull) {
        byte[] key = bytes(ClaimKeys.claimStream(claimId));
        // "(" makes the start exclusive (Redis 6.2+)
        byte[] start = bytes(entryIdOrNull == null ? "-" : "(" + entryIdOrNull);
        Object reply = redis.execute((RedisCallback<Object>) connection ->
                connection.execute("XRANGE", key, start, bytes("+")));
        return entries((List<?>) reply);
    }

    /** The claim's stream entries as stored, each with its fields in order (for the hash chain); empty when unknown. */
    public List<EventChain.RawEntry> rawEntries(String claimId) {
        byte[] key = bytes(ClaimKeys.claimStream(claimId));
        Object reply = redis.execute((RedisCallback<Object>) connection ->
                connection.execute("XRANGE", key, bytes("-"), bytes("+")));
        List<EventChain.RawEntry> entries = new ArrayList<>();
        for (Object raw : (List<?>) reply) {
            List<?> entry = (List<?>) raw;
            entries.add(new EventChain.RawEntry(string(entry.get(0)), EventChain.pairs((List<?>) entry.get(1))));
        }
        return entries;
    }

    /** Recomputes the claim's hash chain; empty when the claim does not exist. */
    public Optional<EventChain.Verification> verifyChain(String claimId) {
        List<EventChain.RawEntry> entries = rawEntries(claimId);
        return entries.isEmpty() ? Optional.empty() : Optional.of(chain.verify(claimId, entries));
    }

    /** Reads an {@code XRANGE} reply of a claim's stream (elements as bytes or, from a script, as strings). */
    static List<ClaimStreamEntry> entries(List<?> xrangeReply) {
        List<ClaimStreamEntry> entries = new ArrayList<>(xrangeReply.size());
        for (Object raw : xrangeReply) {
            List<?> entry = (List<?>) raw;
            entries.add(new ClaimStreamEntry(string(entry.get(0)), StreamEntryCodec.decode(fields((List<?>) entry.get(1)))));
        }
        return entries;
    }

    /** A flat field/value reply ({@code HGETALL}, an entry's fields) as a map, in reply order. */
    static Map<String, String> fields(List<?> pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            fields.put(string(pairs.get(i)), string(pairs.get(i + 1)));
        }
        return fields;
    }

    /** The number of events of the claim; 0 when it does not exist. */
    public long currentVersion(String claimId) {
        Long length = redis.opsForStream().size(ClaimKeys.claimStream(claimId));
        return length == null ? 0 : length;
    }

    /** The claim now, folded from its whole stream; empty when it does not exist. */
    public Optional<ClaimState> replay(String claimId) {
        return Optional.ofNullable(fold(null, history(claimId)));
    }

    /**
     * The claim as it was at {@code asOf}: the events of its stream up to the first one stamped after {@code asOf}.
     * The stream's order is the claim's order, so an event appended later with an earlier timestamp does not
     * reach back into the past. Empty when the claim did not exist yet.
     */
    public Optional<ClaimState> stateAsOf(String claimId, Instant asOf) {
        List<StoredEvent> upToAsOf = history(claimId).stream()
                .takeWhile(stored -> !stored.event().timestamp().isAfter(asOf))
                .toList();
        return Optional.ofNullable(fold(null, upToAsOf));
    }

    /** Folds events into a snapshot; {@code state} is null for a claim not yet submitted. */
    ClaimState fold(ClaimState state, List<StoredEvent> events) {
        ClaimState current = state;
        for (StoredEvent stored : events) {
            current = lifecycle.apply(current, stored.event(), stored.claimVersion());
        }
        return current;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(Object raw) {
        return raw instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : raw.toString();
    }
}
