package io.claimshub.assignment;

import io.claimshub.testsupport.PolicyCheckFeed;

import static io.claimshub.assignment.ProcessingFiles.adjuster;
import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.claim.ClaimState;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.EventJson;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.store.CaughtUpClaim;
import io.claimshub.store.PushOutcome;
import io.claimshub.testsupport.TestRedis;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A closed claim (rejected or paid) leaves nothing in the processors' per-claim indexes, and a late or repeated
 * delivery of one of its older events neither brings its entries back nor counts it again.
 */
@Tag("redis")
class ClosedClaimWorkloadsTest extends ProcessorsFixtureTestSupport {

    private String assignedClaim() throws Exception {
        hubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 10));
        String claim = hub.submit("auto", "north", "1500.00");
        assignedTo(claim);
        hub.awaitLogConsumed();
        assertThat(owner(claim)).isNotNull();
        return claim;
    }

    private void push(String claim, String eventType, String data) {
        assertThat(hub.commands.push(claim, eventType, EventJson.parse(data, "data"), null, null))
                .isInstanceOf(PushOutcome.Accepted.class);
    }

    private Object owner(String claim) {
        return TestRedis.template().opsForHash().get(hub.keys.claimOwners(), claim);
    }

    @Test
    void aRejectedClaimLeavesNoOwnerRecordAndAnOlderStateDeliveredLateDoesNotBringItBack() throws Exception {
        // given an assigned claim
        String claim = assignedClaim();
        ClaimState assigned = hub.state(claim).orElseThrow();
        StoredEvent assignment = hub.store.history(claim).get(1);

        // when it is rejected and the processors have consumed that
        push(claim, "claim.rejected",
                "{\"reasonCode\":\"POLICY_EXCLUSION\",\"reasonText\":\"Racing is not covered\",\"rejectedBy\":\"ADJ-01\"}");
        hub.awaitLogConsumed();

        // expect no owner record left, and the adjuster's count back to zero
        assertThat(owner(claim)).isNull();
        assertThat(hub.workloads.openClaims("ADJ-01")).isZero();

        // when the assignment's older state is tracked again (as a late delivery of its entry hands it on)
        hub.workloads.track(assigned);
        hub.newAssignment().onCaughtUp(new CaughtUpClaim(assignment, assigned));

        // expect nothing re-created and nothing counted twice
        assertThat(owner(claim)).isNull();
        assertThat(hub.workloads.openClaims("ADJ-01")).isZero();
        assertThat(hub.workloads.openClaimCounts()).containsEntry("ADJ-01", 0);
        assertThat(hub.workloads.assignedOn("ADJ-01", LocalDate.now(ZoneOffset.UTC))).isEqualTo(1);
        assertThat(TestRedis.template().opsForZSet().score(hub.keys.slaDeadlines(), claim)).isNull();
        // and the closing state itself, tracked again, changes nothing either
        hub.workloads.track(hub.state(claim).orElseThrow());
        assertThat(owner(claim)).isNull();
    }

    @Test
    void aPaidClaimLeavesNoOwnerRecordWhileAnApprovedOneKeepsItUntilPaid() throws Exception {
        // given an assigned claim (its policy covering it), approved
        String claim = assignedClaim();
        PolicyCheckFeed.recordCovering(hub.store, claim);
        push(claim, "claim.approved",
                "{\"approvedAmount\":{\"amount\":1500.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}");
        hub.awaitLogConsumed();
        ClaimState approved = hub.state(claim).orElseThrow();
        // expect the record kept while payment may still follow (the claim is not closed)
        assertThat(owner(claim)).isEqualTo(approved.version() + " -");

        // when it is paid
        push(claim, "claim.payment.initiated",
                "{\"paymentId\":\"PAY-1\",\"amount\":{\"amount\":1500.00,\"currency\":\"EUR\"},\"method\":\"bank_transfer\"}");
        push(claim, "claim.payment.completed",
                "{\"paymentId\":\"PAY-1\",\"paidAt\":\"2026-03-06T12:00:00Z\",\"reference\":\"BANK-REF-99\"}");
        hub.awaitLogConsumed();

        // expect the record gone, and the approved state delivered late not bringing it back
        assertThat(owner(claim)).isNull();
        hub.workloads.track(approved);
        assertThat(owner(claim)).isNull();
        assertThat(hub.workloads.openClaims("ADJ-01")).isZero();
    }
}
