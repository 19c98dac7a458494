package io.claimshub.processing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;

/**
 * What the processing rules need to know about a submitted claim. Kept apart from the event model so
 * the rules can be tested and changed without it; the consumer maps a {@code claim.submitted} event onto this.
 *
 * @param claimantPhone may be null: no rule depends on it
 */
public record ClaimFacts(
        String claimId,
        String claimType,
        String region,
        String priority,
        BigDecimal amountClaimed,
        String currency,
        LocalDate incidentDate,
        Instant submittedAt,
        String claimantEmail,
        String claimantPhone) {

    public static final Set<String> CLAIM_TYPES = Set.of("auto", "property", "health", "liability", "travel");
    public static final String NORMAL = "normal";
    public static final String URGENT = "urgent";
    public static final Set<String> PRIORITIES = Set.of(NORMAL, URGENT);

    public ClaimFacts {
        Objects.requireNonNull(claimId, "claimId");
        String claim = "claim " + claimId + ": ";
        if (!CLAIM_TYPES.contains(claimType)) {
            throw new IllegalArgumentException(claim + "claimType must be one of " + CLAIM_TYPES + ", was " + claimType);
        }
        if (!PRIORITIES.contains(priority)) {
            throw new IllegalArgumentException(claim + "priority must be one of " + PRIORITIES + ", was " + priority);
        }
        if (amountClaimed == null || amountClaimed.signum() <= 0) {
            throw new IllegalArgumentException(claim + "amountClaimed must be positive, was " + amountClaimed);
        }
        Objects.requireNonNull(region, claim + "region");
        Objects.requireNonNull(currency, claim + "currency");
        Objects.requireNonNull(incidentDate, claim + "incidentDate");
        Objects.requireNonNull(submittedAt, claim + "submittedAt");
        Objects.requireNonNull(claimantEmail, claim + "claimantEmail");
    }
}
