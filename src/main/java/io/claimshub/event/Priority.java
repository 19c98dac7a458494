package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How fast a claim must be handled; urgent claims get SMS alerts and tighter SLAs. */
public enum Priority {
    NORMAL("normal"),
    URGENT("urgent");

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
        return Arrays.stream(values()).filter(p -> p.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown priority '" + wireName + "'"));
    }
}
