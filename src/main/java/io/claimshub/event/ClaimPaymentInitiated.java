package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Data of {@code claim.payment.initiated}: a payment of at most the approved amount has been sent for processing. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimPaymentInitiated(
        String paymentId,
        Money amount,
        PaymentMethod method) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_PAYMENT_INITIATED;
    }
}
