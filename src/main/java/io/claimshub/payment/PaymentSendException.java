package io.claimshub.payment;

/** A payment could not be sent now (5xx, timeout, another instance sending it): retried with back-off. */
public class PaymentSendException extends RuntimeException {

    public PaymentSendException(String message) {
        super(message);
    }

    /** The payment system refused the payment for good (HTTP 4xx other than 408 and 429): never retried. */
    public static final class Refused extends PaymentSendException {
        public Refused(String message) {
            super(message);
        }
    }
}
