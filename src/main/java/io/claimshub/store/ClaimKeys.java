package io.claimshub.store;

import io.claimshub.event.ClaimIds;
import java.util.UUID;

/**
 * The one place the hub's Redis key patterns are built. Every key of one claim carries the claim id as a Redis
 * Cluster hash tag ({@code claim:{CLM-7Q2K9XAB}:events}): the design writes {@code claim:{claimId}}, and we read
 * the braces literally so that a claim's stream, snapshot and event-id index share one slot.
 */
public final class ClaimKeys {

    public static final String DEFAULT_GLOBAL_LOG = "claims:events";

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

    /** {@code claim:{CLM-...}}: the snapshot hash. */
    public static String snapshot(String claimId) {
        return tagged(claimId);
    }

    /** {@code claim:{CLM-...}:event-ids}: hash eventId to {@code "<version> <globalEntryId> <claimEntryId>"}. */
    public static String eventIds(String claimId) {
        return tagged(claimId) + ":event-ids";
    }

    /** {@code idempotency:{<key>}}: a client's Idempotency-Key to {@code "<claimId> <eventId>"}. */
    public static String idempotency(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("an idempotency key must not be blank");
        }
        return "idempotency:{" + idempotencyKey + "}";
    }

    /**
     * {@code submission:{<eventId>}}: a submission's client event id to {@code "<claimId> <eventId>"}, so a retried
     * submission without an idempotency key finds its claim. A key space of its own: a client's idempotency key
     * can never collide with it.
     */
    public static String submission(UUID eventId) {
        return "submission:{" + eventId + "}";
    }

    private static String tagged(String claimId) {
        return "claim:{" + ClaimIds.requireValid(claimId) + "}";
    }
}
