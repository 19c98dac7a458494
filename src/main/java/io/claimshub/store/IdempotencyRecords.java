package io.claimshub.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The submissions' idempotency records, kept compactly: a record is one field of a small hash of its hour and shard
 * ({@link ClaimKeys#idempotencyBucket}), which Redis stores in its compact encoding, and the buckets expire whole, at
 * least {@code window} after their last record. A record is looked up in every bucket of the window (one script, one
 * round trip); a pending one whose lease ran out (its hub died) no longer holds the key.
 */
final class IdempotencyRecords {

    private static final RedisScript<String> RESERVE = RedisScripts.text("redis/reserve-ids.lua");
    private static final RedisScript<Long> RELEASE = RedisScripts.number("redis/release-reservation.lua");
    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;

    private final StringRedisTemplate redis;
    private final Clock clock;
    private final Duration window;
    private final Duration lease;

    IdempotencyRecords(StringRedisTemplate redis, Clock clock, Duration window, Duration lease) {
        this.redis = redis;
        this.clock = clock;
        this.window = window;
        this.lease = lease;
    }

    /** A record as found under its id, or as reserved now by this request ({@link #ours}). */
    record Reservation(String bucket, String recordId, IdempotencyRecord record, boolean ours) {
    }

    /** The live record under {@code recordId}; if there is none, a pending one for these ids, reserved now. */
    Reservation reserve(String recordId, String fingerprint, String claimId, UUID eventId) {
        Reserving reserving = reserving(recordId, fingerprint, claimId, eventId);
        ScriptCall call = reserving.call();
        return reserving.answered(redis.execute(RESERVE, call.keys(), call.args().toArray()));
    }

    /** A reservation about to be asked for: the script call, and the pending record it proposes. */
    record Reserving(ScriptCall call, Reservation mine) {

        /** The reservation as the script answered it: {@link #mine} if it reserved, else the live record it found. */
        Reservation answered(String held) {
            // the call's second argument is the pending record, encoded once
            boolean ours = call.args().get(1).equals(held);
            return ours ? mine : new Reservation(mine.bucket(), mine.recordId(),
                    IdempotencyRecord.decode(mine.recordId(), held), false);
        }
    }

    /** The reservation of {@link #reserve}, built without asking Redis yet, so that it can go in a pipeline. */
    Reserving reserving(String recordId, String fingerprint, String claimId, UUID eventId) {
        long now = clock.instant().getEpochSecond();
        List<String> buckets = buckets(recordId, now);
        IdempotencyRecord mine = IdempotencyRecord.pending(fingerprint, claimId, eventId, now + lease.toSeconds());
        ScriptCall call = new ScriptCall(RESERVE, buckets, List.of(recordId, mine.encode(), Long.toString(now),
                Long.toString(bucketSeconds(now)), Integer.toString(IdempotencyRecord.DONE_LENGTH)));
        return new Reserving(call, new Reservation(buckets.get(0), recordId, mine, true));
    }

    /** The buckets that may hold the record {@code recordId} at {@code now} (epoch seconds): this hour's first. */
    List<String> buckets(String recordId, long now) {
        return buckets(now, HOUR, hour -> ClaimKeys.idempotencyBucket(recordId, hour));
    }

    /** The buckets of {@code unit} seconds that a record made within the window may be in, the current one first. */
    private List<String> buckets(long now, long unit, LongFunction<String> bucket) {
        long current = Math.floorDiv(now, unit);
        long oldest = window.toSeconds() / unit;
        List<String> buckets = new ArrayList<>((int) oldest + 1);
        for (long back = 0; back <= oldest; back++) {
            buckets.add(bucket.apply(current - back));
        }
        return buckets;
    }

    /** How long this hour's bucket lives from {@code now} (epoch seconds): the window after the hour's end. */
    long bucketSeconds(long now) {
        return bucketSeconds(now, HOUR);
    }

    private long bucketSeconds(long now, long unit) {
        return (Math.floorDiv(now, unit) + 1) * unit + window.toSeconds() - now;
    }

    /**
     * The day buckets a bulk submission's record may be in at {@code now} (epoch seconds), today's first
     * ({@link ClaimKeys#bulkIdempotencyBucket}): two for a window of a day. A record is made done at once there, so
     * it needs no lease, and today's bucket lives for the window after the day ends.
     */
    List<String> bulkBuckets(String recordId, long now) {
        return buckets(now, DAY, day -> ClaimKeys.bulkIdempotencyBucket(recordId, day));
    }

    /** How long today's bulk bucket lives from {@code now} (epoch seconds): the window after the day's end. */
    long bulkBucketSeconds(long now) {
        return bucketSeconds(now, DAY);
    }

    Clock clock() {
        return clock;
    }

    /** {@link #release} of each reservation, in one pipeline. */
    void releaseAll(List<Reservation> reservations) {
        if (!reservations.isEmpty()) {
            ScriptCall.pipelined(redis, reservations.stream().map(IdempotencyRecords::releaseCall).toList());
        }
    }

    private static ScriptCall releaseCall(Reservation reservation) {
        return new ScriptCall(RELEASE, List.of(reservation.bucket()),
                List.of(reservation.recordId(), reservation.record().encode()));
    }

    /** Deletes the reservation if it is still the one made; the key is free again. */
    void release(Reservation reservation) {
        ScriptCall call = releaseCall(reservation);
        redis.execute(RELEASE, call.keys(), call.args().toArray());
    }
}
