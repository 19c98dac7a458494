package io.claimshub.notification;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.PolicyCheck;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.ClaimType;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.event.Priority;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A made-up claim with every field set and an event whose data has the fields of every event type: what each
 * template is rendered against once at start-up, so a template error shows then.
 */
final class SampleClaim {

    private static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");

    private SampleClaim() {
    }

    static ClaimState state() {
        return new ClaimState("CLM-SAMPLE01", ClaimStatus.APPROVED, 3, UUID.fromString("00000000-0000-4000-8000-000000000001"), AT,
                "POL-123456", ClaimType.AUTO, LocalDate.parse("2026-02-27"), "Rear-ended at a traffic light",
                new BigDecimal("1500.00"), "EUR", "Ada Lovelace", "ada@example.com", "+447700900123", "north",
                Priority.URGENT, "ADJ-01", "Maria Keller", AT.plusSeconds(72 * 3600), new BigDecimal("1400.00"),
                "NOT_COVERED", "The policy does not cover this damage", "PAY-1", new BigDecimal("1400.00"), false,
                "none", InvestigationOutcome.values()[0], 1, AT, AT, AT, AT, AT, AT, AT, PolicyCheck.COVERED, "in-force", null,
                new BigDecimal("5000.00"), new BigDecimal("100.00"));
    }

    static EventEnvelope event() {
        ObjectNode data = EventJson.mapper().createObjectNode();
        data.putObject("approvedAmount").put("amount", "1400.00").put("currency", "EUR");
        data.put("approvedBy", "ADJ-01");
        data.put("reasonCode", "NOT_COVERED");
        data.put("reasonText", "The policy does not cover this damage");
        data.put("rejectedBy", "ADJ-01");
        data.put("adjusterId", "ADJ-01");
        data.put("adjusterName", "Maria Keller");
        data.put("assignedAt", AT.toString());
        data.put("slaDeadline", AT.plusSeconds(72 * 3600).toString());
        data.put("breachedAt", AT.toString());
        data.put("paymentId", "PAY-1");
        data.put("paidAt", AT.toString());
        data.put("reference", "REF-1");
        data.putObject("amount").put("amount", "1400.00").put("currency", "EUR");
        data.put("documentId", "DOC-1");
        data.put("documentType", "photo");
        data.put("fileName", "rear.jpg");
        return new EventEnvelope(UUID.fromString("00000000-0000-4000-8000-000000000002"), "claim.approved",
                "CLM-SAMPLE01", AT, data, EventEnvelope.CURRENT_VERSION);
    }
}
