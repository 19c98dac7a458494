package io.claimshub.assignment;

import io.claimshub.testsupport.PolicyCheckFeed;

import static io.claimshub.assignment.ProcessingFiles.adjuster;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.EventJson;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.event.Money;
import io.claimshub.sla.SlaScheduler;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimKeys;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.store.PushOutcome;
import io.claimshub.store.SubmitOutcome;
import io.claimshub.testsupport.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;

/**
 * Every writer of claim events stores the claim's snapshot with the event, in the same atomic step: with no consumer
 * running to catch anything up, the snapshot after each write is the full replay of the claim's stream, folded up to
 * its last entry. A writer that appended without its snapshot would leave the snapshot behind and fail here.
 */
@Tag("redis")
class SnapshotsWrittenByEveryWriterTest extends ProcessorsFixtureTestSupport {

    private static final Money CLAIMED = Money.of("1500.00", "EUR");

    @Test
    void everyWriterLeavesTheSnapshotAtTheEndOfTheClaimsStream() {
        // given the processors not running, so nothing but the writers touches a snapshot
        unstartedHubWith(adjuster("ADJ-01", "auto", "north, eu-west", "SENIOR", 100));
        ClaimAssignment assignment = hub.newAssignment();

        // a claim submitted one at a time (the REST path), assigned by the processors' step, breached by the SLA
        // scheduler, checked by the policy adapter, then taken through its decisions by pushed events
        String claim = hub.submit("auto", "north", "1500.00");
        assertCurrent(claim, 1);
        assertThat(assignment.assign(claim)).isEqualTo(ClaimAssignment.Outcome.ASSIGNED);
        assertCurrent(claim, 2);
        SlaScheduler scheduler = new SlaScheduler(hub.store, hub.breaches, TestRedis.connectionFactory(), hub.keys,
                Duration.ofSeconds(60), Clock.fixed(Instant.now().plus(Duration.ofDays(365)), ZoneOffset.UTC));
        assertThat(scheduler.checkDue()).isEqualTo(1);
        assertCurrent(claim, 3);
        // the policy adapter's check
        PolicyCheckFeed.recordCovering(hub.store, claim);
        assertCurrent(claim, 4);
        push(claim, "claim.document.uploaded", ClaimEventFixtures.documentUpload());
        assertCurrent(claim, 5);
        push(claim, "claim.investigated", ClaimEventFixtures.investigation(InvestigationOutcome.CLEARED));
        assertCurrent(claim, 6);
        push(claim, "claim.approved", EventJson.parse(
                "{\"approvedAmount\":{\"amount\":1500.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}", "data"));
        assertCurrent(claim, 7);
        push(claim, "claim.payment.initiated", ClaimEventFixtures.paymentInitiation(CLAIMED));
        assertCurrent(claim, 8);
        push(claim, "claim.payment.completed", ClaimEventFixtures.paymentCompletion(ClaimEventFixtures.PAYMENT_ID));
        assertCurrent(claim, 9);

        // and claims submitted in a batch (the file path), one of them assigned by a pushed event and then rejected
        String run = UUID.randomUUID().toString();
        List<SubmitOutcome> batch = hub.commands.submitAll(List.of(
                new ClaimCommands.KeyedSubmission(data(ClaimEventFixtures.submission()), "first-" + run, null),
                new ClaimCommands.KeyedSubmission(data(ClaimEventFixtures.submission()), "second-" + run, null)));
        List<String> batched = batch.stream().map(outcome -> ((SubmitOutcome.Accepted) outcome).claimId()).toList();
        batched.forEach(id -> assertCurrent(id, 1));
        push(batched.get(0), "claim.assigned", ClaimEventFixtures.assignment("ADJ-01", "Adjuster ADJ-01"));
        assertCurrent(batched.get(0), 2);
        push(batched.get(0), "claim.rejected", EventJson.parse("{\"reasonCode\":\"POLICY_EXCLUSION\","
                + "\"reasonText\":\"Racing is not covered\",\"rejectedBy\":\"ADJ-01\"}", "data"));
        assertCurrent(batched.get(0), 3);
    }

    private void push(String claimId, String eventType, ClaimEventData data) {
        push(claimId, eventType, data(data));
    }

    private void push(String claimId, String eventType, JsonNode data) {
        assertThat(hub.commands.push(claimId, eventType, data, null, null)).isInstanceOf(PushOutcome.Accepted.class);
    }

    private static JsonNode data(ClaimEventData data) {
        return EventJson.toObjectNode(data);
    }

    /** The stored snapshot is the replay of the claim's whole stream, and records the stream's last entry. */
    private void assertCurrent(String claimId, long version) {
        String lastEntry = TestRedis.template().opsForStream()
                .reverseRange(ClaimKeys.claimStream(claimId), Range.unbounded(), Limit.limit().count(1))
                .get(0).getId().getValue();
        assertThat(TestRedis.template().opsForHash().get(ClaimKeys.snapshot(claimId), ClaimSnapshots.STREAM_ENTRY_ID))
                .as("the snapshot's last folded entry of %s", claimId).isEqualTo(lastEntry);
        assertThat(hub.snapshots.read(claimId)).as("the snapshot of %s", claimId)
                .isEqualTo(hub.store.replay(claimId)).get().extracting(s -> s.version()).isEqualTo(version);
    }
}
