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
        boolean needsSenior = claim.amountClaimed().compareTo(rules.seniorThreshold()) > 0;
        return roster.adjusters().stream()
                .filter(adjuster -> adjuster.handles(claim.claimType()))
                .filter(adjuster -> adjuster.covers(claim.region()))
                .filter(adjuster -> !needsSenior || adjuster.isSenior())
                .filter(adjuster -> workloads.openClaims(adjuster.id()) < adjuster.maxOpenClaims())
                .min(Comparator.<Adjuster>comparingInt(adjuster -> workloads.openClaims(adjuster.id()))
                        .thenComparingInt(adjuster -> workloads.assignedToday(adjuster.id()))
                        .thenComparing(Adjuster::id));
    }
}
