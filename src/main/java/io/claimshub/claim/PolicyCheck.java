package io.claimshub.claim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where a claim's policy check stands: {@code pending} until {@code claim.policy.checked} arrives. */
public enum PolicyCheck {
    PENDING("pending"),
    COVERED("covered"),
    NOT_COVERED("not-covered");

    private final String wireName;

    PolicyCheck(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static PolicyCheck fromWire(String wireName) {
        return Arrays.stream(values()).filter(c -> c.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown policy check state '" + wireName + "'"));
    }
}
