package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Data of {@code claim.rejected}: why the claim is denied; {@code reasonCode} is UPPER_SNAKE_CASE. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimRejected(
        String reasonCode,
        String reasonText,
        String rejectedBy) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_REJECTED;
    }
}
