package io.claimshub.processing;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The tunable thresholds of assignment and fraud screening, loaded from {@code config/rules.yaml}.
 * All amounts are in the hub's single settlement currency.
 *
 * @param seniorThreshold            claims above this amount need a senior adjuster
 * @param usualMaximums              per claim type, the largest amount normally claimed
 * @param unusualAmountFactor        a claim above usual maximum × this factor is flagged
 * @param maxIncidentAge             whole days; incidents longer ago than this before submission are flagged
 * @param futureIncidentTolerance    whole days; incident dates this far after the submission day are still
 *                                   accepted, since the claimant's calendar day can run ahead of UTC
 * @param repeatClaimantWindow       how far back claims by the same claimant email are counted
 * @param repeatClaimantThreshold    this many claims in the window (the current one included) are flagged
 */
public record BusinessRules(
        BigDecimal seniorThreshold,
        Map<String, BigDecimal> usualMaximums,
        BigDecimal unusualAmountFactor,
        Duration maxIncidentAge,
        Duration futureIncidentTolerance,
        Duration repeatClaimantWindow,
        int repeatClaimantThreshold) {

    public BusinessRules {
        requirePositive(seniorThreshold, "seniorThreshold");
        requirePositive(unusualAmountFactor, "unusualAmountFactor");
        Objects.requireNonNull(usualMaximums, "usualMaximums");
        for (String type : ClaimFacts.CLAIM_TYPES) {
            if (!usualMaximums.containsKey(type)) {
                throw new IllegalArgumentException("usualMaximums has no entry for claim type '" + type + "'");
            }
        }
        usualMaximums.forEach((type, max) -> {
            if (!ClaimFacts.CLAIM_TYPES.contains(type)) {
                throw new IllegalArgumentException("usualMaximums names unknown claim type '" + type
                        + "' (known: " + ClaimFacts.CLAIM_TYPES + ")");
            }
            requirePositive(max, "usualMaximums." + type);
        });
        requireWholeDays(maxIncidentAge, "maxIncidentAge", false);
        requireWholeDays(futureIncidentTolerance, "futureIncidentTolerance", true);
        if (repeatClaimantWindow == null || repeatClaimantWindow.isNegative() || repeatClaimantWindow.isZero()) {
            throw new IllegalArgumentException("repeatClaimantWindow must be a positive duration, was "
                    + repeatClaimantWindow);
        }
        // a threshold of 1 would flag every claim, since the count includes the claim itself
        if (repeatClaimantThreshold < 2) {
            throw new IllegalArgumentException("repeatClaimantThreshold must be at least 2, was "
                    + repeatClaimantThreshold);
        }
        usualMaximums = Map.copyOf(usualMaximums);
    }

    /**
     * Reads a rules file; see {@code docs/processing.md} for the fields.
     *
     * @throws InvalidConfigurationException naming the file and the field at fault
     */
    public static BusinessRules load(Path file) {
        ConfigNode root = ConfigNode.read(file);
        root.allowOnly("seniorThreshold", "usualMaximums", "unusualAmountFactor", "maxIncidentAge",
                "futureIncidentTolerance", "repeatClaimantWindow", "repeatClaimantThreshold");
        ConfigNode maximumsNode = root.object("usualMaximums");
        Map<String, BigDecimal> maximums = new TreeMap<>();
        for (String type : maximumsNode.fieldNames()) {
            maximums.put(type, maximumsNode.amount(type));
        }
        try {
            return new BusinessRules(
                    root.amount("seniorThreshold"),
                    maximums,
                    root.amount("unusualAmountFactor"),
                    root.duration("maxIncidentAge"),
                    root.duration("futureIncidentTolerance"),
                    root.duration("repeatClaimantWindow"),
                    root.integer("repeatClaimantThreshold"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(file, e.getMessage(), e);
        }
    }

    public BigDecimal usualMaximum(String claimType) {
        return usualMaximums.get(claimType);
    }

    private static void requirePositive(BigDecimal amount, String field) {
        if (amount == null || amount.signum() <= 0) {
            throw new IllegalArgumentException(field + " must be positive, was " + amount);
        }
    }

    // incident dates are calendar days, so these limits are too
    private static void requireWholeDays(Duration duration, String field, boolean zeroAllowed) {
        if (duration == null || duration.isNegative() || (!zeroAllowed && duration.isZero())
                || !duration.equals(Duration.ofDays(duration.toDays()))) {
            throw new IllegalArgumentException(field + " must be a " + (zeroAllowed ? "" : "positive ")
                    + "whole number of days such as P365D, was " + duration);
        }
    }
}
