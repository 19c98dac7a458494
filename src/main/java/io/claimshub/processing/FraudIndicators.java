package io.claimshub.processing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Screens a submitted claim for signs that it needs investigation before it can be approved.
 * A claim with any indicator is "investigation required"; the reasons are written for the adjuster.
 */
public final class FraudIndicators {

    /**
     * @param recentClaimsByClaimant claims by the same claimant email submitted within
     *                               {@link BusinessRules#repeatClaimantWindow()} up to this one, this one included
     * @return human-readable reasons, empty when nothing is suspicious
     */
    public List<String> indicators(ClaimFacts claim, int recentClaimsByClaimant, BusinessRules rules) {
        List<String> reasons = new ArrayList<>();
        // the submission day is taken in UTC; futureIncidentTolerance absorbs claimants ahead of UTC
        LocalDate submissionDay = LocalDate.ofInstant(claim.submittedAt(), ZoneOffset.UTC);
        LocalDate incident = claim.incidentDate();

        long daysAhead = ChronoUnit.DAYS.between(submissionDay, incident);
        long toleratedDays = rules.futureIncidentTolerance().toDays();
        if (daysAhead > toleratedDays) {
            reasons.add("incident date " + incident + " is " + days(daysAhead) + " after the claim was submitted on "
                    + submissionDay + " (tolerance " + days(toleratedDays) + ")");
        }

        long daysBefore = -daysAhead;
        long maxAgeDays = rules.maxIncidentAge().toDays();
        if (daysBefore > maxAgeDays) {
            reasons.add("incident date " + incident + " is " + days(daysBefore) + " before the claim was submitted on "
                    + submissionDay + " (limit " + days(maxAgeDays) + ")");
        }

        BigDecimal usualMaximum = rules.usualMaximum(claim.claimType());
        BigDecimal unusualAbove = usualMaximum.multiply(rules.unusualAmountFactor());
        if (claim.amountClaimed().compareTo(unusualAbove) > 0) {
            reasons.add("amount claimed " + claim.amountClaimed().toPlainString() + " " + claim.currency()
                    + " is more than " + rules.unusualAmountFactor().stripTrailingZeros().toPlainString()
                    + " × the usual maximum of " + usualMaximum.toPlainString() + " for " + claim.claimType()
                    + " claims");
        }

        if (recentClaimsByClaimant >= rules.repeatClaimantThreshold()) {
            reasons.add("claimant has submitted " + recentClaimsByClaimant + " claims within "
                    + describe(rules.repeatClaimantWindow()) + " (threshold " + rules.repeatClaimantThreshold() + ")");
        }
        return List.copyOf(reasons);
    }

    private static String days(long count) {
        return count == 1 ? "1 day" : count + " days";
    }

    private static String describe(Duration window) {
        if (window.equals(Duration.ofDays(window.toDays()))) {
            return days(window.toDays());
        }
        if (window.equals(Duration.ofHours(window.toHours()))) {
            return window.toHours() == 1 ? "1 hour" : window.toHours() + " hours";
        }
        return window.toString();
    }
}
