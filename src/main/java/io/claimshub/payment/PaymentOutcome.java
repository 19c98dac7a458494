package io.claimshub.payment;

/** What recording a payment's completion or failure did. */
public enum PaymentOutcome {
    /** The event was appended now. */
    RECORDED,
    /** The claim had it already (a repeated callback or confirmation): nothing written. */
    ALREADY_RECORDED,
    /** No claim has a payment with that id. */
    UNKNOWN_PAYMENT,
    /** The claim cannot take it (its payment is another one, it is paid already, ...). */
    NOT_APPLICABLE
}
