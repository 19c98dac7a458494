package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The line of business a claim is made under. */
public enum ClaimType {
    AUTO("auto"),
    PROPERTY("property"),
    HEALTH("health"),
    LIABILITY("liability"),
    TRAVEL("travel");

    private final String wireName;

    ClaimType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static ClaimType fromWire(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown claim type '" + wireName + "'"));
    }
}
