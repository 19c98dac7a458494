package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** Data of {@code claim.sla.breached}, a hub extension raised by the SLA scheduler: the assigned adjuster missed the deadline. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimSlaBreached(
        String adjusterId,
        Instant slaDeadline,
        Instant breachedAt) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_SLA_BREACHED;
    }
}
