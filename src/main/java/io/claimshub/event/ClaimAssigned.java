package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** Data of {@code claim.assigned}: the adjuster now responsible and the SLA deadline they work to. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimAssigned(
        String adjusterId,
        String adjusterName,
        Instant assignedAt,
        Instant slaDeadline) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_ASSIGNED;
    }
}
