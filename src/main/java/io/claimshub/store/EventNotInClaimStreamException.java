package io.claimshub.store;

import io.claimshub.event.InvalidEventException;

/**
 * An entry of the global log that its claim's own stream does not hold: written there by something other than
 * {@link ClaimEventStore#append}. The consumer route dead-letters it rather than folding it into the snapshot.
 */
public class EventNotInClaimStreamException extends InvalidEventException {

    public static final String REASON = "not in the claim's stream";

    public EventNotInClaimStreamException(String field, String detail) {
        super(field, REASON + ": " + detail);
    }
}
