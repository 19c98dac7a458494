package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The line of business a claim is made under. */
public enum ClaimType {
    AUTO("auto"),
    PROPERTY("property"),
    HEALTH("health"),
    LIABILITY("liability"),
    TRAVEL("travel");

    private static final ClaimType[] VALUES = values();

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
        for (ClaimType t : VALUES) {
            if (t.wireName.equals(wireName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown claim type '" + wireName + "'");
    }
}
