package io.claimshub.store;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
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

    private final StringRedisTemplate redis;
    private final ClaimEventStore store;
    private final ClaimLifecycle lifecycle;

    public ClaimSnapshots(RedisConnectionFactory connectionFactory, ClaimEventStore store, ClaimLifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.redis = new StringRedisTemplate(connectionFactory);
        this.redis.afterPropertiesSet();
    }

    /**
     * The consumer route's step for one entry of the global log: checks that the entry is an event its claim's
     * stream holds, then catches the claim's snapshot up.
     *
     * @throws io.claimshub.event.InvalidEventException if the entry is not a claim event (its field named)
     * @throws EventNotInClaimStreamException if the event was never appended to its claim's stream
     */
    public void onEvent(Map<String, String> globalLogEntryFields) {
        StoredEvent stored = StreamEntryCodec.decode(globalLogEntryFields);
        String claimId = stored.event().claimId();
        String eventId = stored.event().eventId().toString();
        // one round trip for both reads: the event's record in the claim's stream index and the snapshot to catch up
        List<Object> answers = redis.executePipelined((RedisCallback<Object>) connection -> {
            connection.hashCommands().hGet(bytes(ClaimKeys.eventIds(claimId)), bytes(eventId));
            connection.hashCommands().hGetAll(bytes(ClaimKeys.snapshot(claimId)));
            return null;
        });
        Object recorded = answers.get(0);
        if (recorded == null) {
            throw new EventNotInClaimStreamException(StreamEntryCodec.EVENT_ID, "event " + eventId + " ("
                    + stored.event().eventType() + ") was never appended to " + ClaimKeys.claimStream(claimId)
                    + "; events enter the hub through its ingestion, not by XADD to the global log");
        }
        long version = Long.parseLong(recorded.toString().split(" ")[0]);
        if (version != stored.claimVersion()) {
            throw new EventNotInClaimStreamException(StreamEntryCodec.CLAIM_VERSION, "event " + eventId
                    + " is entry " + version + " of " + ClaimKeys.claimStream(claimId) + ", not "
                    + stored.claimVersion());
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> snapshot = answers.get(1) == null ? Map.of() : (Map<Object, Object>) answers.get(1);
        catchUp(claimId, snapshot);
    }

    /** Folds the claim-stream entries the snapshot has not seen yet and stores the result if it is newer. */
    public void catchUp(String claimId) {
        catchUp(claimId, redis.opsForHash().entries(ClaimKeys.snapshot(claimId)));
    }

    // fields: the snapshot hash as read before the claim stream (the stream read must come after it)
    private void catchUp(String claimId, Map<Object, Object> fields) {
        ClaimState state = null;
        String after = null;
        if (!fields.isEmpty() && fields.get(STREAM_ENTRY_ID) != null) {
            state = ClaimState.fromFields(strings(fields));
            after = fields.get(STREAM_ENTRY_ID).toString();
        }
        // a snapshot without a stream position (not written here) is rebuilt from the whole stream
        List<ClaimStreamEntry> unseen = store.entriesAfter(claimId, after);
        if (unseen.isEmpty()) {
            return;
        }
        ClaimState current = state;
        for (ClaimStreamEntry entry : unseen) {
            current = lifecycle.apply(current, entry.stored().event(), entry.stored().claimVersion());
        }
        write(claimId, current, unseen.get(unseen.size() - 1).entryId());
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

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> strings(Map<Object, Object> fields) {
        Map<String, String> result = new LinkedHashMap<>();
        fields.forEach((k, v) -> result.put(k.toString(), v.toString()));
        return result;
    }
}
