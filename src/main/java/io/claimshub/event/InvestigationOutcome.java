package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What an investigation concluded; only {@code cleared} lifts an investigation requirement. */
public enum InvestigationOutcome {
    CLEARED("cleared"),
    FRAUD_SUSPECTED("fraud_suspected"),
    INCONCLUSIVE("inconclusive");

    private final String wireName;

    InvestigationOutcome(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static InvestigationOutcome fromWire(String wireName) {
        return Arrays.stream(values()).filter(o -> o.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown investigation outcome '" + wireName + "'"));
    }
}
