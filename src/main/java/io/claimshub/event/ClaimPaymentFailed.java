package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * Data of {@code claim.payment.failed} (hub extension): the payment system refused the payment started by
 * {@code claim.payment.initiated} for good (an HTTP 4xx from the payment API, or a bank confirmation saying so). The
 * claim stays {@code payment_initiated} with this event in its history, for a person to handle.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimPaymentFailed(
        String paymentId,
        Instant failedAt,
        String reason) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_PAYMENT_FAILED;
    }
}
