package io.claimshub.claim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Where a claim is in its lifecycle. Documents, investigations and SLA breaches do not change the status.
 */
public enum ClaimStatus {
    SUBMITTED("submitted"),
    ASSIGNED("assigned"),
    APPROVED("approved"),
    REJECTED("rejected"),
    PAYMENT_INITIATED("payment_initiated"),
    PAID("paid");

    private final String wireName;

    ClaimStatus(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Rejected and paid claims accept no further events. */
    public boolean isFinal() {
        return this == REJECTED || this == PAID;
    }

    @JsonCreator
    public static ClaimStatus fromWire(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown claim status '" + wireName + "'"));
    }
}
