package io.claimshub.processing;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * A claims adjuster as listed in the roster.
 *
 * @param regions        regions the adjuster covers; {@value #ANY_REGION} covers every region
 * @param authorityLimit the largest amount this adjuster may approve alone
 * @param maxOpenClaims  no new claims are assigned once this many are open
 */
public record Adjuster(
        String id,
        String name,
        String email,
        String phone,
        Set<String> claimTypes,
        Set<String> regions,
        Seniority seniority,
        BigDecimal authorityLimit,
        int maxOpenClaims) {

    public static final String ANY_REGION = "*";

    public Adjuster {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("adjuster id must not be blank");
        }
        String adjuster = "adjuster " + id + ": ";
        Objects.requireNonNull(name, adjuster + "name");
        Objects.requireNonNull(email, adjuster + "email");
        Objects.requireNonNull(phone, adjuster + "phone");
        Objects.requireNonNull(seniority, adjuster + "seniority");
        if (claimTypes == null || claimTypes.isEmpty()) {
            throw new IllegalArgumentException(adjuster + "claimTypes must list at least one claim type");
        }
        for (String type : claimTypes) {
            if (!ClaimFacts.CLAIM_TYPES.contains(type)) {
                throw new IllegalArgumentException(adjuster + "claimTypes contains unknown claim type '" + type
                        + "' (known: " + ClaimFacts.CLAIM_TYPES + ")");
            }
        }
        if (regions == null || regions.isEmpty()) {
            throw new IllegalArgumentException(adjuster + "regions must list at least one region (or \"*\")");
        }
        if (authorityLimit == null || authorityLimit.signum() <= 0) {
            throw new IllegalArgumentException(adjuster + "authorityLimit must be positive, was " + authorityLimit);
        }
        if (maxOpenClaims <= 0) {
            throw new IllegalArgumentException(adjuster + "maxOpenClaims must be positive, was " + maxOpenClaims);
        }
        claimTypes = Set.copyOf(claimTypes);
        regions = Set.copyOf(regions);
    }

    public boolean handles(String claimType) {
        return claimTypes.contains(claimType);
    }

    public boolean covers(String region) {
        return regions.contains(ANY_REGION) || regions.contains(region);
    }

    public boolean isSenior() {
        return seniority == Seniority.SENIOR;
    }
}
