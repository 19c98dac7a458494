package io.claimshub.payment;

import io.claimshub.event.Money;

/**
 * A payment to send: the claim, the payment id (also the partner's idempotency key), the amount and the payee's name
 * (personal data, read through {@link io.claimshub.notification.ClaimantContacts}; {@link #toString()} leaves it out,
 * so logging an order logs no personal data).
 */
public record PaymentOrder(String claimId, String paymentId, Money amount, String method, String payeeName,
                           String policyNumber) {

    @Override
    public String toString() {
        return "payment " + paymentId + " of claim " + claimId + " (" + amount + ")";
    }
}
