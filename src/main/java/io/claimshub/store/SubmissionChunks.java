package io.claimshub.store;

import io.claimshub.claim.ClaimState;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.StreamEntryCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * New claims of a bulk ingress stored a chunk at a time ({@code submit-remembered.lua}): up to
 * {@link #LINES_PER_CALL} submissions to one script call, every call of a chunk in one pipelined round trip. Each
 * submission is one atomic step in Redis: its remembered key or its idempotency record, if found, answers it;
 * otherwise its claim is appended, its record made done and its claim remembered together. No pending record is
 * written, so there is nothing to release and no gap between storing and remembering.
 */
final class SubmissionChunks {

    /**
     * Submissions per script call: a call holds Redis for about as many tenths of a millisecond (other clients wait
     * meanwhile), and costs one script invocation however many it carries.
     */
    static final int LINES_PER_CALL = 100;

    private static final RedisScript<List<Object>> SUBMIT = RedisScripts.replies("redis/submit-remembered.lua");

    private final StringRedisTemplate redis;
    private final ClaimKeys keys;
    private final IdempotencyRecords records;
    private final EventChain chain;

    SubmissionChunks(StringRedisTemplate redis, ClaimKeys keys, IdempotencyRecords records, EventChain chain) {
        this.redis = redis;
        this.keys = keys;
        this.records = records;
        this.chain = chain;
    }

    /**
     * A new claim's submission, decided and ready to store: its {@code claim.submitted} event, the claim as that
     * event leaves it (version 1), the idempotency record it stores once done, and the key remembering its claim.
     */
    record Prepared(EventEnvelope event, ClaimState stateAfter, String recordId, IdempotencyRecord done,
                    String rememberedKey) {
    }

    /** What Redis made of a prepared submission. */
    sealed interface Stored {
        /** Its remembered key names the claim it opened before. */
        record Remembered(String claimId) implements Stored {
        }

        /** A live idempotency record was found under its id (done, or pending with its lease running). */
        record Held(IdempotencyRecord record) implements Stored {
        }

        /** Appended now, as its claim's first event. */
        record Appended() implements Stored {
        }

        /** Its new claim id belongs to a claim already: nothing was written. */
        record ClaimIdTaken(long version) implements Stored {
        }
    }

    /**
     * Stores the submissions the iterator hands out, in order, in one pipelined round trip; each is prepared as the
     * pipeline is written, so Redis runs the first calls while the next are prepared.
     */
    List<Stored> store(Iterator<Prepared> submissions, Duration rememberFor) {
        List<Prepared> sent = new ArrayList<>();
        List<Object> replies = ScriptCall.pipelinedEncoded(redis, calls -> {
            List<Prepared> call = new ArrayList<>(LINES_PER_CALL);
            while (submissions.hasNext()) {
                call.add(submissions.next());
                if (call.size() == LINES_PER_CALL || !submissions.hasNext()) {
                    calls.accept(call(call, rememberFor));
                    sent.addAll(call);
                    call.clear();
                }
            }
        });
        List<Stored> stored = new ArrayList<>(sent.size());
        for (Object reply : replies) {
            for (Object line : (List<?>) reply) {
                stored.add(stored((List<?>) line, sent.get(stored.size()).recordId()));
            }
        }
        return stored;
    }

    /** The values of the remembered keys, null where there is none: one round trip. */
    List<String> remembered(List<String> rememberedKeys) {
        return redis.opsForValue().multiGet(rememberedKeys);
    }

    /** One script call of these lines, its keys and arguments encoded once: each value is written as it is sent. */
    private ScriptCall.Encoded call(List<Prepared> lines, Duration rememberFor) {
        long now = records.clock().instant().getEpochSecond();
        List<byte[]> scriptKeys = new ArrayList<>(1 + 6 * lines.size());
        scriptKeys.add(bytes(keys.globalLog()));
        int buckets = 0;
        List<byte[]> args = new ArrayList<>(7 + 64 * lines.size());
        for (String arg : List.of(Integer.toString(lines.size()), "", Long.toString(now),
                Long.toString(records.bulkBucketSeconds(now)), Long.toString(rememberFor.toSeconds()),
                Integer.toString(IdempotencyRecord.DONE_LENGTH), ClaimIds.PREFIX)) {
            args.add(bytes(arg));
        }
        for (Prepared line : lines) {
            String claimId = line.event().claimId();
            List<String> lineBuckets = records.bulkBuckets(line.recordId(), now);
            buckets = lineBuckets.size();
            scriptKeys.add(bytes(line.rememberedKey()));
            scriptKeys.add(bytes(ClaimKeys.claimStream(claimId)));
            scriptKeys.add(bytes(ClaimKeys.eventIds(claimId)));
            scriptKeys.add(bytes(ClaimKeys.snapshot(claimId)));
            lineBuckets.forEach(bucket -> scriptKeys.add(bytes(bucket)));
            args.add(bytes(line.recordId()));
            args.add(bytes(line.done().encode()));
            args.add(bytes(claimId));
            args.add(bytes(line.event().eventId().toString()));
            List<byte[]> entry = pairs(StreamEntryCodec.encode(line.event(), 1));
            args.add(bytes(Integer.toString(entry.size())));
            args.addAll(entry);
            Map<String, String> snapshot = new LinkedHashMap<>(line.stateAfter().toFields());
            // the script puts the claim entry's id in place of this stand-in
            snapshot.put(ClaimSnapshots.STREAM_ENTRY_ID, "");
            List<byte[]> snapshotPairs = pairs(snapshot);
            args.add(bytes(Integer.toString(snapshotPairs.size())));
            args.addAll(snapshotPairs);
            // the entry is its claim's first: its link follows from its own bytes (EventChain)
            args.add(bytes(chain.firstLink(claimId, entry)));
        }
        args.set(1, bytes(Integer.toString(buckets)));
        byte[][] keysAndArgs = new byte[scriptKeys.size() + args.size()][];
        int i = 0;
        for (byte[] key : scriptKeys) {
            keysAndArgs[i++] = key;
        }
        for (byte[] arg : args) {
            keysAndArgs[i++] = arg;
        }
        return new ScriptCall.Encoded(SUBMIT, scriptKeys.size(), keysAndArgs);
    }

    private static List<byte[]> pairs(Map<String, String> pairs) {
        List<byte[]> flat = new ArrayList<>(2 * pairs.size());
        pairs.forEach((field, value) -> {
            flat.add(bytes(field));
            flat.add(bytes(value));
        });
        return flat;
    }

    private static byte[] bytes(String text) {
        return ScriptCall.bytes(text);
    }

    private static Stored stored(List<?> reply, String recordId) {
        String value = ClaimEventStore.string(reply.get(1));
        return switch (ClaimEventStore.string(reply.get(0))) {
            case "remembered" -> new Stored.Remembered(value);
            case "held" -> new Stored.Held(IdempotencyRecord.decode(recordId, value));
            case "appended" -> new Stored.Appended();
            case "conflict" -> new Stored.ClaimIdTaken(Long.parseLong(value));
            default -> throw new IllegalStateException("unexpected answer from the submission script: " + reply);
        };
    }
}
