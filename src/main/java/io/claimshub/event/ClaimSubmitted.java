package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.LocalDate;

/** Data of {@code claim.submitted}: everything known about the claim when it is opened. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimSubmitted(
        String policyNumber,
        ClaimType claimType,
        LocalDate incidentDate,
        String description,
        Money amountClaimed,
        Claimant claimant,
        String region,
        Priority priority) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_SUBMITTED;
    }
}
