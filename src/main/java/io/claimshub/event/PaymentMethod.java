package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How a claim payment reaches the claimant. */
public enum PaymentMethod {
    BANK_TRANSFER("bank_transfer"),
    CARD("card"),
    CHEQUE("cheque");

    private final String wireName;

    PaymentMethod(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static PaymentMethod fromWire(String wireName) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown payment method '" + wireName + "'"));
    }
}
