package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How fast a claim must be handled; urgent claims get SMS alerts and tighter SLAs. */
public enum Priority {
    NORMAL("normal"),
    URGENT("urgent");

    private static final Priority[] VALUES = values();

    private final String wireName;

    Priority(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Priority fromWire(String wireName) {
        for (Priority p : VALUES) {
            if (p.wireName.equals(wireName)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown priority '" + wireName + "'");
    }
}
