package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** Data of {@code claim.payment.completed}: the payment started by {@code claim.payment.initiated} has been made; the claim is closed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimPaymentCompleted(
        String paymentId,
        Instant paidAt,
        String reference) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_PAYMENT_COMPLETED;
    }
}
