package io.claimshub.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.Decision;
import io.claimshub.event.ClaimAssigned;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.ClaimPolicyChecked;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.event.Money;
import io.claimshub.processing.Adjuster;
import io.claimshub.processing.AdjusterRoster;
import io.claimshub.processing.Seniority;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The approval rules as ClaimCommands.push checks them, and the investigation flag surviving a replay. */
class ApprovalAuthorityTest {

    private static final String CLAIM = ClaimEventFixtures.CLAIM_ID;
    private static final Instant AT = Instant.parse("2026-03-02T09:05:00Z");

    private final ClaimLifecycle lifecycle = new ClaimLifecycle();
    private final AdjusterRoster roster = AdjusterRoster.of(List.of(new Adjuster("ADJ-042", "Grace Hopper",
            "grace@claimshub.example", "+41 44 555 00 00", Set.of("auto"), Set.of("*"), Seniority.SENIOR,
            new BigDecimal("1000.00"), 10)));
    private final ApprovalAuthority authority = new ApprovalAuthority(() -> roster);

    private ClaimState replay(ClaimEventData... events) {
        ClaimState state = null;
        long version = 0;
        for (ClaimEventData data : events) {
            state = lifecycle.apply(state, EventEnvelope.of(CLAIM, AT, data), ++version);
        }
        return state;
    }

    private Decision approve(ClaimState state, String amount) {
        return authority.decide(state, EventEnvelope.of(CLAIM, AT, ClaimEventFixtures.approval(Money.of(amount, "EUR"))));
    }

    @Test
    void anApprovalUpToTheAuthorityLimitStandsAndOneCentMoreIsRefused() {
        ClaimState assigned = replay(ClaimEventFixtures.submission(), ClaimEventFixtures.policyCheck(),
                ClaimEventFixtures.assignment());

        assertThat(approve(assigned, "1000.00")).isInstanceOf(Decision.Accepted.class);
        assertThat(approve(assigned, "1000.01")).isEqualTo(Decision.rejected(
                "approval of 1000.01 exceeds adjuster ADJ-042's authority limit of 1000.00"));
    }

    @Test
    void anAssigneeWhoLeftTheRosterCannotApprove() {
        ClaimState assigned = replay(ClaimEventFixtures.submission(), ClaimEventFixtures.assignment("ADJ-999", "Gone"));

        assertThat(approve(assigned, "100.00")).isInstanceOf(Decision.Rejected.class);
    }

    @Test
    void theInvestigationRecordedInTheAssignmentSurvivesReplayAndBlocksApprovalUntilCleared() {
        // given an assignment that raised a fraud indicator
        ClaimAssigned flagged = ClaimAssigned.withFraudScreening("ADJ-042", "Grace Hopper", AT,
                AT.plusSeconds(3600), List.of("claimant has submitted 3 claims within 30 days (threshold 3)"));

        // when the claim is replayed from its events alone
        ClaimState state = replay(ClaimEventFixtures.submission(), flagged);

        // expect the flag, and approval refused by both the lifecycle and the approval rules
        assertThat(state.investigationRequired()).isTrue();
        assertThat(state.investigationReason()).isEqualTo("claimant has submitted 3 claims within 30 days (threshold 3)");
        assertThat(approve(state, "100.00")).isInstanceOf(Decision.Rejected.class);
        assertThat(lifecycle.decide(state, EventEnvelope.of(CLAIM, AT,
                ClaimEventFixtures.approval(Money.of("100.00", "EUR"))))).isInstanceOf(Decision.Rejected.class);

        // expect a cleared investigation to open the way
        ClaimState cleared = replay(ClaimEventFixtures.submission(), ClaimEventFixtures.policyCheck(), flagged,
                ClaimEventFixtures.investigation(InvestigationOutcome.CLEARED));
        assertThat(approve(cleared, "100.00")).isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void anApprovalBeforeThePolicyCheckIsRefusedAsPending() {
        ClaimState assigned = replay(ClaimEventFixtures.submission(), ClaimEventFixtures.assignment());

        assertThat(approve(assigned, "100.00")).isEqualTo(Decision.rejected("policy check pending: the claim cannot"
                + " be approved until the policy system has confirmed its cover"));
    }

    @Test
    void anApprovalAboveCoverageLimitLessDeductibleIsRefused() {
        ClaimState assigned = replay(ClaimEventFixtures.submission(), new ClaimPolicyChecked(true, "in-force",
                Money.of("900.00", "EUR"), Money.of("100.00", "EUR"), null), ClaimEventFixtures.assignment());

        assertThat(approve(assigned, "800.00")).isInstanceOf(Decision.Accepted.class);
        assertThat(approve(assigned, "800.01")).isEqualTo(Decision.rejected("approval of 800.01 EUR exceeds what the"
                + " policy pays: coverage limit less deductible is 800.00 EUR"));
    }

    @Test
    void anAssignmentWithoutIndicatorsKeepsItsOriginalShape() {
        ClaimAssigned plain = ClaimAssigned.withFraudScreening("ADJ-042", "Grace Hopper", AT, AT, List.of());

        assertThat(EventEnvelope.of(CLAIM, AT, plain).data().fieldNames())
                .toIterable().containsExactly("adjusterId", "adjusterName", "assignedAt", "slaDeadline");
    }
}
