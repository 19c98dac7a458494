package io.claimshub.assignment;

import io.claimshub.claim.ClaimState;
import io.claimshub.claim.Decision;
import io.claimshub.event.ClaimApproved;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventType;
import io.claimshub.processing.Adjuster;
import io.claimshub.processing.AdjusterRoster;
import io.claimshub.processing.ApprovalRules;
import io.claimshub.store.ClaimCommandRule;
import io.claimshub.event.Money;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The approval rules at the point a {@code claim.approved} command is decided: the assignee's authority limit
 * (from the current roster), the investigation gate and the policy check: refused while it is pending, and above the
 * coverage limit less the deductible ({@link ApprovalRules}). Other events pass.
 */
public final class ApprovalAuthority implements ClaimCommandRule {

    private final Supplier<AdjusterRoster> roster;
    private final ApprovalRules rules = new ApprovalRules();

    private final boolean policyCheckRequired;

    public ApprovalAuthority(Supplier<AdjusterRoster> roster) {
        this(roster, true);
    }

    /**
     * @param policyCheckRequired whether an approval waits for the policy check (hub.policy.enabled); without it a
     *                            claim with no check yet may be approved, and a recorded check still applies
     */
    public ApprovalAuthority(Supplier<AdjusterRoster> roster, boolean policyCheckRequired) {
        this.roster = roster;
        this.policyCheckRequired = policyCheckRequired;
    }

    @Override
    public Decision decide(ClaimState state, EventEnvelope event) {
        if (event.type() != EventType.CLAIM_APPROVED) {
            return Decision.accepted();
        }
        ClaimApproved approved = event.payload(ClaimApproved.class);
        Optional<Adjuster> assignee = roster.get().find(state.assigneeId());
        if (assignee.isEmpty()) {
            // nobody can vouch for the authority of an adjuster who left the roster: reassign first
            return Decision.rejected("assignee " + state.assigneeId() + " of claim " + state.claimId()
                    + " is not on the adjuster roster; reassign the claim before approving it");
        }
        String outcome = state.investigationOutcome() == null ? null : state.investigationOutcome().wireName();
        BigDecimal amount = approved.approvedAmount().amount();
        Money payable = state.payableUnderPolicy();
        Optional<String> coverage = !policyCheckRequired && "pending".equals(state.policyCheck().wireName())
                ? Optional.empty()
                : rules.coverageRefusal(amount, state.policyCheck().wireName(), state.policyCheckReason(),
                        payable == null ? null : payable.amount(), state.currency());
        Optional<String> authority = rules.refusal(amount, assignee.get(), state.investigationRequired(), outcome);
        if (coverage.isPresent() && authority.isPresent()) {
            return Decision.rejected(coverage.get() + "; " + authority.get());
        }
        return coverage.or(() -> authority).map(Decision::rejected).orElse(Decision.accepted());
    }
}
