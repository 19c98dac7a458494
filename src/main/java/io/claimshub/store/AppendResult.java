package io.claimshub.store;

/** What {@link ClaimEventStore#append} did with an event. */
public sealed interface AppendResult {

    /** The event is now entry {@code version} of its claim's stream and was copied to the global log. */
    record Appended(long version, String claimEntryId, String globalEntryId) implements AppendResult {
    }

    /** The event id was appended before; this is that first result, and nothing new was written. */
    record Duplicate(long version, String claimEntryId, String globalEntryId) implements AppendResult {
    }

    /** The claim is not at the expected version; nothing was written. */
    record VersionConflict(long currentVersion) implements AppendResult {
    }

    /**
     * The submission's idempotency reservation is no longer this request's (its in-flight lease ran out and another
     * request took the key); nothing was written.
     */
    record ReservationLost() implements AppendResult {
    }
}
