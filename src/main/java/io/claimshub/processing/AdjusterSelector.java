package io.claimshub.processing;

import java.util.Comparator;
import java.util.Optional;

/**
 * Chooses who a newly submitted claim is assigned to. Pure and deterministic, so replaying the same
 * events against the same roster and workloads always gives the same assignment.
 */
public final class AdjusterSelector {

    /**
     * The eligible adjuster with the fewest open claims; ties go to the fewest assigned today, then to
     * the smallest id. Eligible means: handles the claim type, covers the region, is senior when the
     * amount is above the senior threshold, and has room under its open-claims cap.
     *
     * <p>The authority limit is deliberately not a criterion: the approved amount is often less than the
     * amount claimed, and an approval over the limit is refused at decision time instead.
     *
     * @return empty when nobody is eligible, which the caller escalates
     */
    public Optional<Adjuster> choose(ClaimFacts claim, AdjusterRoster roster, BusinessRules rules,
                                     Workloads workloads) {
        return roster.adjusters().stream()
                .filter(adjuster -> competenceRefusal(claim, adjuster, rules).isEmpty())
                .filter(adjuster -> workloads.openClaims(adjuster.id()) < adjuster.maxOpenClaims())
                .min(Comparator.<Adjuster>comparingInt(adjuster -> workloads.openClaims(adjuster.id()))
                        .thenComparingInt(adjuster -> workloads.assignedToday(adjuster.id()))
                        .thenComparing(Adjuster::id));
    }

    /**
     * Why the adjuster may not work the claim at all: the claim type, the region or (above the senior threshold) the
     * seniority; empty when they may. The eligibility criteria but the workload cap.
     */
    public Optional<String> competenceRefusal(ClaimFacts claim, Adjuster adjuster, BusinessRules rules) {
        if (!adjuster.handles(claim.claimType())) {
            return Optional.of("does not handle " + claim.claimType() + " claims");
        }
        if (!adjuster.covers(claim.region())) {
            return Optional.of("does not cover region " + claim.region());
        }
        if (claim.amountClaimed().compareTo(rules.seniorThreshold()) > 0 && !adjuster.isSenior()) {
            return Optional.of("the amount claimed " + claim.amountClaimed().toPlainString()
                    + " is above the senior threshold of " + rules.seniorThreshold().toPlainString() + ", and "
                    + adjuster.id() + " is " + adjuster.seniority());
        }
        return Optional.empty();
    }
}
