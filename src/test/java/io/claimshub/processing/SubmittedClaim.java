package io.claimshub.processing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** Builds {@link ClaimFacts} for tests: an ordinary claim unless a test says otherwise. */
final class SubmittedClaim {

    private String type = "auto";
    private String region = "north";
    private String priority = "normal";
    private BigDecimal amount = new BigDecimal("1500.00");
    private LocalDate incidentDate = LocalDate.parse("2025-03-08");
    private Instant submittedAt = Instant.parse("2025-03-10T09:00:00Z");

    static SubmittedClaim aClaim() {
        return new SubmittedClaim();
    }

    SubmittedClaim type(String type) {
        this.type = type;
        return this;
    }

    SubmittedClaim region(String region) {
        this.region = region;
        return this;
    }

    SubmittedClaim priority(String priority) {
        this.priority = priority;
        return this;
    }

    SubmittedClaim amount(String amount) {
        this.amount = new BigDecimal(amount);
        return this;
    }

    SubmittedClaim incidentOn(String date) {
        this.incidentDate = LocalDate.parse(date);
        return this;
    }

    SubmittedClaim submittedAt(String instant) {
        this.submittedAt = Instant.parse(instant);
        return this;
    }

    ClaimFacts facts() {
        return new ClaimFacts("CLM-00000042", type, region, priority, amount, "EUR", incidentDate, submittedAt,
                "jane.doe@example.com", "+41 79 555 12 34");
    }
}
