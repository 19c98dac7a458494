package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Data of {@code claim.investigated}: the outcome of an investigation; {@code notes} is optional. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimInvestigated(
        String investigatorId,
        InvestigationOutcome outcome,
        String notes) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_INVESTIGATED;
    }
}
