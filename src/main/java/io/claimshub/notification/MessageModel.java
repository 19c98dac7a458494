package io.claimshub.notification;

import io.claimshub.claim.ClaimState;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a template sees: {@code claim} (the claim as it is after the event), {@code claimant} (name),
 * {@code adjuster} (id, name), {@code event} (type, id, time, and its {@code data} as sent) and {@code recipient}
 * (name). Every name is always present (empty text when the claim has no value yet), so a template that renders
 * against the start-up sample renders against any claim.
 */
public final class MessageModel {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private MessageModel() {
    }

    public static Map<String, Object> of(ClaimState claim, EventEnvelope event, String recipientName) {
        Map<String, Object> model = new LinkedHashMap<>();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("claimId", claim.claimId());
        c.put("status", claim.status().wireName());
        c.put("policyNumber", text(claim.policyNumber()));
        c.put("claimType", claim.claimType() == null ? "" : claim.claimType().wireName());
        c.put("incidentDate", claim.incidentDate() == null ? "" : claim.incidentDate().toString());
        c.put("description", text(claim.description()));
        c.put("region", text(claim.region()));
        c.put("priority", claim.priority() == null ? "" : claim.priority().wireName());
        c.put("urgent", claim.priority() != null && claim.priority().wireName().equals("urgent"));
        c.put("currency", text(claim.currency()));
        c.put("amountClaimed", amount(claim.amountClaimed()));
        c.put("approvedAmount", amount(claim.approvedAmount()));
        c.put("paymentAmount", amount(claim.paymentAmount()));
        c.put("paymentId", text(claim.paymentId()));
        c.put("rejectionReasonCode", text(claim.rejectionReasonCode()));
        c.put("rejectionReason", text(claim.rejectionReasonText()));
        c.put("submittedAt", time(claim.submittedAt()));
        c.put("slaDeadline", time(claim.slaDeadline()));
        c.put("slaBreachedAt", time(claim.slaBreachedAt()));
        model.put("claim", c);
        model.put("claimant", Map.of("name", ClaimantContacts.claimantName(claim)));
        model.put("adjuster", Map.of("id", text(claim.assigneeId()), "name", text(claim.assigneeName())));
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", event.eventType());
        e.put("id", event.eventId().toString());
        e.put("time", time(event.timestamp()));
        e.put("data", EventJson.mapper().convertValue(event.data(), Map.class));
        model.put("event", e);
        model.put("recipient", Map.of("name", text(recipientName)));
        return model;
    }

    /** A claim with every field set, and an event, that every template is rendered against at start-up. */
    public static Map<String, Object> sample() {
        return of(SampleClaim.state(), SampleClaim.event(), "Ada Lovelace");
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String amount(BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }

    private static String time(Instant value) {
        return value == null ? "" : TIME.format(value);
    }
}
