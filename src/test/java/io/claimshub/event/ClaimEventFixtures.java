package io.claimshub.event;

import java.time.Instant;
import java.time.LocalDate;

/** Well-formed sample events for one claim, shared by the event and claim tests. */
public final class ClaimEventFixtures {

    public static final String CLAIM_ID = "CLM-7Q2K9XAB";
    public static final Instant SUBMITTED_AT = Instant.parse("2026-03-02T09:00:00Z");
    public static final Money CLAIMED = Money.of("1500.00", "EUR");
    public static final String PAYMENT_ID = "PAY-0001";

    private ClaimEventFixtures() {
    }

    public static ClaimSubmitted submission() {
        return submission(CLAIMED);
    }

    public static ClaimSubmitted submission(Money amountClaimed) {
        return new ClaimSubmitted("POL-123456", ClaimType.AUTO, LocalDate.parse("2026-02-27"),
                "Rear-ended at a traffic light", amountClaimed,
                new Claimant("Ada Lovelace", "ada@example.com", "+447700900123"), "eu-west", Priority.NORMAL);
    }

    public static ClaimAssigned assignment() {
        return assignment("ADJ-042", "Grace Hopper");
    }

    public static ClaimAssigned assignment(String adjusterId, String adjusterName) {
        return new ClaimAssigned(adjusterId, adjusterName, Instant.parse("2026-03-02T09:05:00Z"),
                Instant.parse("2026-03-04T09:05:00Z"));
    }

    public static ClaimDocumentUploaded documentUpload() {
        return new ClaimDocumentUploaded("DOC-1", "police_report", "report.pdf", "ada@example.com");
    }

    public static ClaimInvestigated investigation(InvestigationOutcome outcome) {
        return new ClaimInvestigated("INV-7", outcome, "Dashcam footage reviewed");
    }

    public static ClaimApproved approval(Money approvedAmount) {
        return new ClaimApproved(approvedAmount, "ADJ-042");
    }

    public static ClaimRejected rejection() {
        return new ClaimRejected("POLICY_EXCLUSION", "Racing is not covered", "ADJ-042");
    }

    public static ClaimPaymentInitiated paymentInitiation(Money amount) {
        return new ClaimPaymentInitiated(PAYMENT_ID, amount, PaymentMethod.BANK_TRANSFER);
    }

    public static ClaimPaymentCompleted paymentCompletion(String paymentId) {
        return new ClaimPaymentCompleted(paymentId, Instant.parse("2026-03-06T12:00:00Z"), "BANK-REF-99");
    }

    public static ClaimSlaBreached slaBreach() {
        return new ClaimSlaBreached("ADJ-042", Instant.parse("2026-03-04T09:05:00Z"),
                Instant.parse("2026-03-04T09:06:00Z"));
    }

    /** The policy adapter's verdict: covered, with room above the amount claimed. */
    public static ClaimPolicyChecked policyCheck() {
        return new ClaimPolicyChecked(true, "in-force", Money.of("1000000.00", CLAIMED.currency()),
                Money.of("0.00", CLAIMED.currency()), null);
    }

    /** A valid data object for each type, with amounts that every lifecycle rule accepts. */
    public static ClaimEventData sampleData(EventType type) {
        return switch (type) {
            case CLAIM_SUBMITTED -> submission();
            case CLAIM_ASSIGNED -> assignment();
            case CLAIM_DOCUMENT_UPLOADED -> documentUpload();
            case CLAIM_INVESTIGATED -> investigation(InvestigationOutcome.CLEARED);
            case CLAIM_APPROVED -> approval(CLAIMED);
            case CLAIM_REJECTED -> rejection();
            case CLAIM_PAYMENT_INITIATED -> paymentInitiation(CLAIMED);
            case CLAIM_PAYMENT_COMPLETED -> paymentCompletion(PAYMENT_ID);
            case CLAIM_SLA_BREACHED -> slaBreach();
            case CLAIM_POLICY_CHECKED -> policyCheck();
            case CLAIM_PAYMENT_FAILED -> new ClaimPaymentFailed(PAYMENT_ID, Instant.parse("2026-03-06T12:00:00Z"),
                    "the payment API refused the payment: HTTP 422");
        };
    }

    public static EventEnvelope event(ClaimEventData data) {
        return EventEnvelope.of(CLAIM_ID, SUBMITTED_AT, data);
    }

    public static EventEnvelope event(EventType type) {
        return event(sampleData(type));
    }
}
