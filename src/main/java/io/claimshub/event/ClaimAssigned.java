package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Data of {@code claim.assigned}: the adjuster now responsible and the SLA deadline they work to.
 *
 * <p>Hub extension (optional, left out when false): {@code investigationRequired} and {@code investigationReasons}
 * record the fraud screening done at assignment, so the investigation gate survives a replay of the claim.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimAssigned(
        String adjusterId,
        String adjusterName,
        Instant assignedAt,
        Instant slaDeadline,
        Boolean investigationRequired,
        List<String> investigationReasons) implements ClaimEventData {

    public ClaimAssigned {
        investigationReasons = investigationReasons == null ? null : List.copyOf(investigationReasons);
    }

    public ClaimAssigned(String adjusterId, String adjusterName, Instant assignedAt, Instant slaDeadline) {
        this(adjusterId, adjusterName, assignedAt, slaDeadline, null, null);
    }

    /** An assignment that also records why the claim must be investigated before it can be approved. */
    public static ClaimAssigned withFraudScreening(String adjusterId, String adjusterName, Instant assignedAt,
                                                   Instant slaDeadline, List<String> fraudIndicators) {
        return fraudIndicators.isEmpty()
                ? new ClaimAssigned(adjusterId, adjusterName, assignedAt, slaDeadline)
                : new ClaimAssigned(adjusterId, adjusterName, assignedAt, slaDeadline, true, fraudIndicators);
    }

    public boolean requiresInvestigation() {
        return Boolean.TRUE.equals(investigationRequired);
    }

    @Override
    public EventType eventType() {
        return EventType.CLAIM_ASSIGNED;
    }
}
