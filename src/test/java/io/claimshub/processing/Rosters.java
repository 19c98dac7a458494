package io.claimshub.processing;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Set;

/** Adjusters, rules and workloads for tests. */
final class Rosters {

    static final Path SAMPLE_ROSTER = Path.of("config/adjusters.yaml");
    static final Path SAMPLE_RULES = Path.of("config/rules.yaml");

    private Rosters() {
    }

    static Adjuster adjuster(String id, Set<String> types, Set<String> regions, Seniority seniority,
                             int maxOpenClaims) {
        return new Adjuster(id, "Adjuster " + id, id.toLowerCase() + "@claimshub.example", "+41 44 555 00 00",
                types, regions, seniority, new BigDecimal("10000.00"), maxOpenClaims);
    }

    static Adjuster autoJunior(String id) {
        return adjuster(id, Set.of("auto"), Set.of("north"), Seniority.JUNIOR, 20);
    }

    /** The sample rules: senior threshold 25000.00, auto usual maximum 20000.00 × 3, 365 days, 1 day, 3 claims. */
    static BusinessRules sampleRules() {
        return BusinessRules.load(SAMPLE_RULES);
    }
}
