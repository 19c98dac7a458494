package io.claimshub.claim;

import static io.claimshub.claim.ClaimHistory.claimIn;
import static io.claimshub.claim.ClaimHistory.given;
import static io.claimshub.event.ClaimEventFixtures.CLAIMED;
import static io.claimshub.event.ClaimEventFixtures.CLAIM_ID;
import static io.claimshub.event.ClaimEventFixtures.PAYMENT_ID;
import static io.claimshub.event.ClaimEventFixtures.approval;
import static io.claimshub.event.ClaimEventFixtures.assignment;
import static io.claimshub.event.ClaimEventFixtures.event;
import static io.claimshub.event.ClaimEventFixtures.investigation;
import static io.claimshub.event.ClaimEventFixtures.paymentCompletion;
import static io.claimshub.event.ClaimEventFixtures.paymentInitiation;
import static io.claimshub.event.ClaimEventFixtures.slaBreach;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.ClaimPolicyChecked;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.event.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClaimLifecycleTest {

    /**
     * The whole transition table: for a claim in each status (or none), whether each event type is accepted.
     * Columns follow {@link EventType} order.
     */
    private static final String[] TRANSITIONS = {
        //                  submitted assigned document investigated approved rejected pay.init pay.done sla.breached policy.checked pay.failed
        "(none)            | yes      | no     | no     | no         | no     | no     | no     | no     | no     | no     | no",
        "submitted         | no       | yes    | yes    | no         | no     | yes    | no     | no     | no     | yes    | no",
        "assigned          | no       | yes    | yes    | yes        | yes    | yes    | no     | no     | yes    | yes    | no",
        "approved          | no       | no     | no     | no         | no     | no     | yes    | no     | no     | yes    | no",
        "rejected          | no       | no     | no     | no         | no     | no     | no     | no     | no     | no     | no",
        "payment_initiated | no       | no     | no     | no         | no     | no     | no     | yes    | no     | yes    | yes",
        "paid              | no       | no     | no     | no         | no     | no     | no     | no     | no     | no     | no",
    };

    private final ClaimLifecycle lifecycle = new ClaimLifecycle();

    static Stream<Arguments> transitionTable() {
        List<Arguments> cases = new ArrayList<>();
        for (String row : TRANSITIONS) {
            String[] cells = row.split("\\|");
            String status = cells[0].trim();
            for (EventType type : EventType.values()) {
                cases.add(Arguments.of(status, type.wireName(), cells[type.ordinal() + 1].trim().equals("yes")));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "given a {0} claim, when {1}, expect accepted = {2}")
    @MethodSource("transitionTable")
    void transitionTable(String status, String eventType, boolean accepted) {
        ClaimState given = status.equals("(none)") ? null : claimIn(ClaimStatus.fromWire(status));

        Decision decision = lifecycle.decide(given, event(EventType.fromWire(eventType)));

        assertThat(decision instanceof Decision.Accepted).as("%s", decision).isEqualTo(accepted);
        if (accepted) {
            long next = given == null ? 1 : given.version() + 1;
            assertThat(lifecycle.apply(given, event(EventType.fromWire(eventType)), next).version()).isEqualTo(next);
        }
    }

    @Test
    void aClaimIsPolicyCheckedOnceAndASecondCheckIsRefused() {
        ClaimState checked = given(claimIn(ClaimStatus.SUBMITTED), ClaimEventFixtures.policyCheck());

        assertThat(checked.policyCheck()).isEqualTo(PolicyCheck.COVERED);
        assertThat(checked.coverageLimit()).isEqualByComparingTo("1000000.00");
        assertThat(lifecycle.decide(checked, event(ClaimEventFixtures.policyCheck())))
                .isEqualTo(Decision.rejected("the policy check of claim " + CLAIM_ID + " is already recorded (covered)"));
    }

    @Test
    void aClaimItsPolicyDoesNotCoverCannotBeApprovedAndTheRefusalNamesTheReason() {
        ClaimState notCovered = given(claimIn(ClaimStatus.SUBMITTED), new ClaimPolicyChecked(false, "lapsed", null, null,
                "policy POL-123456 had lapsed on 2026-02-27"), assignment());

        assertThat(notCovered.policyCheck()).isEqualTo(PolicyCheck.NOT_COVERED);
        assertThat(lifecycle.decide(notCovered, event(approval(Money.of("100.00", "EUR"))))).isEqualTo(
                Decision.rejected("cannot approve claim " + CLAIM_ID + ": its policy does not cover it (policy"
                        + " POL-123456 had lapsed on 2026-02-27)"));
    }

    @Test
    void policyAmountsInAnotherCurrencyThanTheClaimAreRefused() {
        assertThat(lifecycle.decide(claimIn(ClaimStatus.SUBMITTED), event(new ClaimPolicyChecked(true, "in-force",
                Money.of("100.00", "USD"), Money.of("0.00", "USD"), null))))
                .isEqualTo(Decision.rejected("policy amounts are in USD but the claim is in EUR"));
    }

    @Test
    void approvingExactlyTheAmountClaimedIsAccepted() {
        ClaimState given = claimIn(ClaimStatus.ASSIGNED);

        assertThat(lifecycle.decide(given, event(approval(Money.of("1500.00", "EUR"))))).isEqualTo(Decision.accepted());
        assertThat(lifecycle.decide(given, event(approval(Money.of("1500", "EUR"))))).isEqualTo(Decision.accepted());
    }

    @Test
    void approvingOneCentMoreThanClaimedIsRejected() {
        ClaimState given = claimIn(ClaimStatus.ASSIGNED);

        assertThat(lifecycle.decide(given, event(approval(Money.of("1500.01", "EUR")))))
                .isEqualTo(Decision.rejected("approved amount 1500.01 EUR exceeds the amount claimed 1500.00 EUR"));
    }

    @Test
    void approvingInAnotherCurrencyIsRejected() {
        ClaimState given = claimIn(ClaimStatus.ASSIGNED);

        assertThat(lifecycle.decide(given, event(approval(Money.of("100.00", "USD")))))
                .isEqualTo(Decision.rejected("approved amount is in USD but the claim is in EUR"));
    }

    @Test
    void approvingAnUnassignedClaimIsRejected() {
        assertThat(lifecycle.decide(claimIn(ClaimStatus.SUBMITTED), event(approval(CLAIMED))))
                .isEqualTo(Decision.rejected("cannot approve an unassigned claim"));
    }

    @Test
    void payingExactlyTheApprovedAmountIsAcceptedAndOneCentMoreIsRejected() {
        ClaimState given = given(claimIn(ClaimStatus.ASSIGNED), approval(Money.of("1000.00", "EUR")));

        assertThat(lifecycle.decide(given, event(paymentInitiation(Money.of("1000.00", "EUR")))))
                .isEqualTo(Decision.accepted());
        assertThat(lifecycle.decide(given, event(paymentInitiation(Money.of("1000.01", "EUR")))))
                .isEqualTo(Decision.rejected("payment amount 1000.01 EUR exceeds the approved amount 1000.00 EUR"));
    }

    @Test
    void payingARejectedClaimIsRejected() {
        assertThat(lifecycle.decide(claimIn(ClaimStatus.REJECTED), event(paymentInitiation(CLAIMED))))
                .isEqualTo(Decision.rejected("cannot pay a rejected claim"));
    }

    @Test
    void completingAPaymentThatWasNotInitiatedIsRejected() {
        Decision decision = lifecycle.decide(claimIn(ClaimStatus.PAYMENT_INITIATED),
                event(paymentCompletion("PAY-OTHER")));

        assertThat(decision).isEqualTo(Decision.rejected(
                "payment PAY-OTHER was not initiated for claim CLM-7Q2K9XAB; expected payment PAY-0001"));
    }

    @Test
    void nothingHappensAfterAClaimIsPaid() {
        assertThat(lifecycle.decide(claimIn(ClaimStatus.PAID), event(EventType.CLAIM_DOCUMENT_UPLOADED)))
                .isEqualTo(Decision.rejected("claim CLM-7Q2K9XAB is paid and closed; nothing can happen after that"));
    }

    @Test
    void aClaimCannotBeSubmittedTwice() {
        assertThat(lifecycle.decide(claimIn(ClaimStatus.ASSIGNED), event(submission())))
                .isEqualTo(Decision.rejected("claim CLM-7Q2K9XAB has already been submitted"));
    }

    @Test
    void eventsForAClaimThatDoesNotExistAreRejected() {
        assertThat(lifecycle.decide(null, event(assignment())))
                .isEqualTo(Decision.rejected("claim CLM-7Q2K9XAB does not exist; it must be submitted first"));
    }

    @Test
    void anEventForAnotherClaimIsRejected() {
        EventEnvelope otherClaim = EventEnvelope.of("CLM-00000000", Instant.now(), assignment());

        assertThat(lifecycle.decide(claimIn(ClaimStatus.SUBMITTED), otherClaim)).isInstanceOf(Decision.Rejected.class);
    }

    @Test
    void approvalWaitsForAnInvestigationThatClearsTheClaim() {
        ClaimState flagged = claimIn(ClaimStatus.ASSIGNED).requireInvestigation("fraud score 0.91");

        assertThat(lifecycle.decide(flagged, event(approval(CLAIMED)))).isEqualTo(Decision.rejected(
                "cannot approve claim CLM-7Q2K9XAB until an investigation clears it (fraud score 0.91)"));

        ClaimState inconclusive = given(flagged, investigation(InvestigationOutcome.INCONCLUSIVE));
        assertThat(lifecycle.decide(inconclusive, event(approval(CLAIMED)))).isInstanceOf(Decision.Rejected.class);

        ClaimState cleared = given(inconclusive, investigation(InvestigationOutcome.CLEARED));
        assertThat(lifecycle.decide(cleared, event(approval(CLAIMED)))).isEqualTo(Decision.accepted());

        ClaimState suspectedAgain = given(cleared, investigation(InvestigationOutcome.FRAUD_SUSPECTED));
        assertThat(lifecycle.decide(suspectedAgain, event(approval(CLAIMED)))).isInstanceOf(Decision.Rejected.class);
    }

    @Test
    void anInvestigationClearedBeforeTheRequirementDoesNotCountForIt() {
        ClaimState given = given(claimIn(ClaimStatus.ASSIGNED), investigation(InvestigationOutcome.CLEARED))
                .requireInvestigation("new evidence");

        assertThat(lifecycle.decide(given, event(approval(CLAIMED)))).isInstanceOf(Decision.Rejected.class);
    }

    @Test
    void anSlaBreachIsRecordedOncePerDeadline() {
        ClaimState breached = given(claimIn(ClaimStatus.ASSIGNED), slaBreach());

        assertThat(lifecycle.decide(breached, event(slaBreach())))
                .isEqualTo(Decision.rejected("the SLA breach of claim CLM-7Q2K9XAB is already recorded"));

        ClaimState reassigned = given(breached, assignment("ADJ-007", "Katherine Johnson"));
        assertThat(lifecycle.decide(reassigned, event(slaBreach()))).isEqualTo(Decision.accepted());
    }

    @Test
    void malformedDataIsRejectedNotThrown() {
        ObjectNode data = EventJson.toObjectNode(approval(CLAIMED));
        data.remove("approvedAmount");
        EventEnvelope noAmount = new EventEnvelope(UUID.randomUUID(), "claim.approved", CLAIM_ID,
                Instant.now(), data, "1.0");
        ObjectNode badType = EventJson.toObjectNode(submission());
        badType.put("claimType", "boat");
        EventEnvelope unknownClaimType = new EventEnvelope(UUID.randomUUID(), "claim.submitted", CLAIM_ID,
                Instant.now(), badType, "1.0");

        assertThat(lifecycle.decide(claimIn(ClaimStatus.ASSIGNED), noAmount))
                .isEqualTo(Decision.rejected("approved amount is required"));
        assertThat(lifecycle.decide(null, unknownClaimType))
                .isInstanceOfSatisfying(Decision.Rejected.class,
                        rejected -> assertThat(rejected.reason()).startsWith("malformed claim.submitted data: "
                                + "data.claimType"));
    }

    @Test
    void applyingARejectedEventFails() {
        assertThatThrownBy(() -> lifecycle.apply(claimIn(ClaimStatus.SUBMITTED), event(approval(CLAIMED)), 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot approve an unassigned claim");
    }

    @Test
    void applyingOutOfSequenceFails() {
        assertThatThrownBy(() -> lifecycle.apply(claimIn(ClaimStatus.SUBMITTED), event(assignment()), 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("claim CLM-7Q2K9XAB is at version 1; the next event must be version 2, not 3");
    }

    @Test
    void paymentIdIsKeptForTheCompletion() {
        assertThat(claimIn(ClaimStatus.PAYMENT_INITIATED).paymentId()).isEqualTo(PAYMENT_ID);
    }
}
