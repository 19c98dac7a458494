package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Data of {@code claim.approved}: the amount the insurer will pay, at most the amount claimed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimApproved(Money approvedAmount, String approvedBy) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_APPROVED;
    }
}
