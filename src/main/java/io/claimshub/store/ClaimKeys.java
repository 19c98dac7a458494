package io.claimshub.store;

import io.claimshub.event.ClaimIds;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The one place the hub's Redis key patterns are built. Every key of one claim carries the claim id as a Redis
 * Cluster hash tag ({@code claim:{CLM-7Q2K9XAB}:events}): the design writes {@code claim:{claimId}}, and we read
 * the braces literally so that a claim's stream, snapshot and event-id index share one slot.
 */
public final class ClaimKeys {

    public static final String DEFAULT_GLOBAL_LOG = "claims:events";
    private static final int RECORD_ID_CHARS = 16;

    private final String globalLog;

    public ClaimKeys(String globalLog) {
        if (globalLog == null || globalLog.isBlank()) {
            throw new IllegalArgumentException("the global event log needs a stream name, e.g. " + DEFAULT_GLOBAL_LOG);
        }
        this.globalLog = globalLog;
    }

    public ClaimKeys() {
        this(DEFAULT_GLOBAL_LOG);
    }

    /** The stream every event of every claim is appended to ({@code hub.events.stream}). */
    public String globalLog() {
        return globalLog;
    }

    /** {@code claim:{CLM-...}:events}: the claim's own stream; an entry's position in it is the claim's version. */
    public static String claimStream(String claimId) {
        return tagged(claimId) + ":events";
    }

    /** A SCAN pattern matching every claim's own stream (and possibly other keys: check with {@link #claimIdOfStream}). */
    public static final String CLAIM_STREAM_SCAN_PATTERN = "claim:{*}:events";

    /** The claim id of a key {@code claim:{CLM-...}:events}, or null for any other key. */
    public static String claimIdOfStream(String key) {
        if (!key.startsWith("claim:{") || !key.endsWith("}:events")) {
            return null;
        }
        String claimId = key.substring("claim:{".length(), key.length() - "}:events".length());
        return ClaimIds.isValid(claimId) ? claimId : null;
    }

    /** {@code claim:{CLM-...}}: the snapshot hash. */
    public static String snapshot(String claimId) {
        return tagged(claimId);
    }

    /** {@code claim:{CLM-...}:event-ids}: hash eventId to {@code "<version> <globalEntryId> <claimEntryId>"}. */
    public static String eventIds(String claimId) {
        return tagged(claimId) + ":event-ids";
    }

    /**
     * The id of the idempotency record of a client's Idempotency-Key: the first 16 base64url characters of its
     * SHA-256 (96 bits: a collision between two clients' keys is out of reach), so no client text reaches a key name.
     */
    public static String idempotencyRecordId(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("an idempotency key must not be blank");
        }
        return recordId("key\n" + idempotencyKey);
    }

    /**
     * The id of the idempotency record of a submission made with a client event id and no idempotency key, so a
     * retry finds its claim. Digested from another text than a key's, so the two never collide.
     */
    public static String submissionRecordId(UUID eventId) {
        return recordId("event\n" + eventId);
    }

    /**
     * {@code idempotency:{<epochHour>:<shard>}}: the hash holding, by record id, the idempotency records made in
     * that hour (UTC) whose id starts with the shard's two characters. 4,096 shards keep a bucket small enough for
     * Redis's compact hash encoding at hundreds of submissions a second; the bucket expires as a whole.
     */
    public static String idempotencyBucket(String recordId, long epochHour) {
        return "idempotency:{" + epochHour + ":" + recordId.substring(0, 2) + "}";
    }

    /**
     * {@code idempotency:bulk:{<epochDay>:<shard>}}: as {@link #idempotencyBucket}, for the records of a bulk
     * ingress's submissions made that day (UTC). Those are made done as they are stored and are looked up in two
     * buckets, not in every hour of the window; the claims they opened are remembered elsewhere for longer.
     */
    public static String bulkIdempotencyBucket(String recordId, long epochDay) {
        return "idempotency:bulk:{" + epochDay + ":" + recordId.substring(0, 2) + "}";
    }

    private static String recordId(String text) {
        return IdempotencyRecord.digest(text.getBytes(StandardCharsets.UTF_8), RECORD_ID_CHARS);
    }

    private static String tagged(String claimId) {
        return "claim:{" + ClaimIds.requireValid(claimId) + "}";
    }
}
