package io.claimshub.assignment;

import io.claimshub.claim.ClaimState;
import io.claimshub.claim.Decision;
import io.claimshub.event.ClaimAssigned;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventType;
import io.claimshub.processing.Adjuster;
import io.claimshub.processing.AdjusterRoster;
import io.claimshub.processing.AdjusterSelector;
import io.claimshub.processing.BusinessRules;
import io.claimshub.store.ClaimCommandRule;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@code claim.assigned} pushed by a client (a manual assignment or reassignment) must name an adjuster of the
 * current roster who may work the claim: its type, its region and, above the senior threshold, seniority
 * ({@link AdjusterSelector#competenceRefusal}). The open-claims cap is left to the automatic choice: a manual
 * assignment is an operator's deliberate override, and the claim is counted all the same. Other events pass.
 */
public final class ManualAssignmentRule implements ClaimCommandRule {

    private final Supplier<AdjusterRoster> roster;
    private final BusinessRules rules;
    private final AdjusterSelector selector = new AdjusterSelector();

    public ManualAssignmentRule(Supplier<AdjusterRoster> roster, BusinessRules rules) {
        this.roster = roster;
        this.rules = rules;
    }

    @Override
    public Decision decide(ClaimState state, EventEnvelope event) {
        if (event.type() != EventType.CLAIM_ASSIGNED) {
            return Decision.accepted();
        }
        String adjusterId = event.payload(ClaimAssigned.class).adjusterId();
        Optional<Adjuster> adjuster = roster.get().find(adjusterId);
        if (adjuster.isEmpty()) {
            return Decision.rejected("adjuster " + adjusterId + " is not on the adjuster roster");
        }
        return selector.competenceRefusal(ClaimAssignment.facts(state), adjuster.get(), rules)
                .map(why -> Decision.rejected("adjuster " + adjusterId + " is not eligible for claim "
                        + state.claimId() + ": " + why))
                .orElse(Decision.accepted());
    }
}
