package io.claimshub.event;

/**
 * An event as stored in a claim's stream: {@code claimVersion} is its position there, starting at 1.
 */
public record StoredEvent(EventEnvelope event, long claimVersion) {

    public StoredEvent {
        if (event == null) {
            throw new IllegalArgumentException("event is required");
        }
        if (claimVersion < 1) {
            throw new InvalidEventException(StreamEntryCodec.CLAIM_VERSION,
                    "must be at least 1, was " + claimVersion);
        }
    }
}
