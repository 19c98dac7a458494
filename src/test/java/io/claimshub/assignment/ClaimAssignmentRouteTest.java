package io.claimshub.assignment;

import io.claimshub.testsupport.PolicyCheckFeed;

import static io.claimshub.assignment.ProcessingFiles.adjuster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.claimshub.claim.ClaimState;
import io.claimshub.event.EventJson;
import io.claimshub.processing.Workloads;
import io.claimshub.store.ClaimKeys;
import io.claimshub.store.PushOutcome;
import io.claimshub.testsupport.TestRedis;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Assignment through the real processors route against a real Redis. */
@Tag("redis")
class ClaimAssignmentRouteTest extends ProcessorsFixtureTestSupport {

    @Test
    void eachClaimGoesToTheLeastLoadedAdjuster() throws Exception {
        // given two adjusters who can both take auto claims from the north
        hubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 10), adjuster("ADJ-02", "auto", "north", "JUNIOR", 10));

        // when three claims arrive one after the other
        // expect: tie on everything -> smallest id; then the one with fewer open claims; then the tie again
        assertThat(assignedTo(hub.submit("auto", "north", "1500.00"))).isEqualTo("ADJ-01");
        assertThat(assignedTo(hub.submit("auto", "north", "1500.00"))).isEqualTo("ADJ-02");
        assertThat(assignedTo(hub.submit("auto", "north", "1500.00"))).isEqualTo("ADJ-01");
        assertThat(hub.workloads.openClaimCounts()).containsEntry("ADJ-01", 2).containsEntry("ADJ-02", 1);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(hub.workloads.assignedOn("ADJ-01", today)).isEqualTo(2);
        // the one-round-trip snapshot the choice uses agrees with the single reads
        Workloads snapshot = hub.workloads.snapshot(hub.roster.get(), today);
        assertThat(snapshot.openClaims("ADJ-01")).isEqualTo(2);
        assertThat(snapshot.openClaims("ADJ-02")).isEqualTo(1);
        assertThat(snapshot.assignedToday("ADJ-01")).isEqualTo(2);
        assertThat(snapshot.assignedToday("ADJ-02")).isEqualTo(1);
        assertThat(hub.workloads.snapshot(hub.roster.get(), today.minusDays(1)).assignedToday("ADJ-01")).isZero();
    }

    @Test
    void onlyAdjustersForTheTypeRegionAndAmountAreChosen() throws Exception {
        // given adjusters who differ in claim type, region and seniority
        hubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 10),
                adjuster("ADJ-02", "property", "north", "SENIOR", 10),
                adjuster("ADJ-03", "auto", "south", "SENIOR", 10),
                adjuster("ADJ-04", "auto", "north", "SENIOR", 10));

        // expect the type, the region and (above the 25000 senior threshold) the seniority to decide
        assertThat(assignedTo(hub.submit("property", "north", "1500.00"))).isEqualTo("ADJ-02");
        assertThat(assignedTo(hub.submit("auto", "south", "1500.00"))).isEqualTo("ADJ-03");
        assertThat(assignedTo(hub.submit("auto", "north", "30000.00"))).isEqualTo("ADJ-04");
        assertThat(assignedTo(hub.submit("auto", "north", "25000.00"))).isEqualTo("ADJ-01");
    }

    @Test
    void aClaimWaitsInTheUnassignedQueueUntilADecisionFreesCapacity() throws Exception {
        // given an adjuster who may hold one open claim, and holds one
        hubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 1));
        String first = hub.submit("auto", "north", "1500.00");
        assertThat(assignedTo(first)).isEqualTo("ADJ-01");

        // when a second claim arrives, it waits
        String second = hub.submit("auto", "north", "1500.00");
        await().atMost(WAIT).until(() -> hub.unassigned.list().stream().anyMatch(c -> c.claimId().equals(second)));
        assertThat(hub.unassigned.count()).isEqualTo(1);
        assertThat(hub.assignee(second)).isEmpty();

        // when the first claim is rejected
        PushOutcome rejected = hub.commands.push(first, "claim.rejected", EventJson.parse(
                "{\"reasonCode\":\"POLICY_EXCLUSION\",\"reasonText\":\"Racing is not covered\",\"rejectedBy\":\"ADJ-01\"}",
                "data"), null, null);
        assertThat(rejected).isInstanceOf(PushOutcome.Accepted.class);

        // expect the waiting claim to be assigned, the queue empty and the adjuster's count exact
        assertThat(assignedTo(second)).isEqualTo("ADJ-01");
        await().atMost(WAIT).until(() -> hub.unassigned.count() == 0);
        assertThat(hub.workloads.openClaims("ADJ-01")).isEqualTo(1);
        assertThat(hub.workloads.openClaimCounts()).containsEntry("ADJ-01", 1);
    }

    @Test
    void aRosterReloadAssignsTheClaimsThatWaited() throws Exception {
        // given a roster with nobody for auto claims, and an auto claim waiting
        hubWith(adjuster("ADJ-01", "property", "north", "JUNIOR", 10));
        String claim = hub.submit("auto", "north", "1500.00");
        await().atMost(WAIT).until(() -> hub.unassigned.count() == 1);

        // when a file that is not a valid roster is written, the roster in use stays
        NotifyBuilder badFileRead = new NotifyBuilder(hub.context()).fromRoute("roster-reload")
                .filter(read -> "adjusters: []\n".equals(read.getMessage().getBody(String.class))).whenCompleted(1).create();
        java.nio.file.Files.writeString(hub.files.roster, "adjusters: []\n");
        java.nio.file.Files.setLastModifiedTime(hub.files.roster,
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(badFileRead.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(hub.roster.get().find("ADJ-01")).isPresent();

        // when the roster file gains an auto adjuster
        hub.files.writeRoster(List.of(adjuster("ADJ-01", "property", "north", "JUNIOR", 10),
                adjuster("ADJ-09", "auto", "north", "JUNIOR", 10)));

        // expect the waiting claim to be assigned without a restart
        assertThat(assignedTo(claim)).isEqualTo("ADJ-09");
        await().atMost(WAIT).until(() -> hub.unassigned.count() == 0);
    }

    @Test
    void aSubmissionDeliveredTwiceAndHandledByTwoConsumersAtOnceIsAssignedOnce() throws Exception {
        // given the processors route on two consumer threads
        hubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 10), adjuster("ADJ-02", "auto", "north", "JUNIOR", 10));
        String claim = hub.submit("auto", "north", "1500.00");
        // and the submission on the global log a second time, as a redelivery would bring it
        java.util.Map<String, String> fields = hub.globalLogEntry(0);
        TestRedis.template().opsForStream().add(hub.globalLog, fields);

        // and two more assignment beans (two hub instances) racing on the same entry
        ClaimAssignment one = hub.newAssignment();
        ClaimAssignment two = hub.newAssignment();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        var gate = new java.util.concurrent.CountDownLatch(1);
        var a = pool.submit(() -> { gate.await(); one.onEvent(fields); return null; });
        var b = pool.submit(() -> { gate.await(); two.onEvent(fields); return null; });
        gate.countDown();
        a.get();
        b.get();
        pool.shutdown();

        // expect one assignment event, and the claim counted once
        String adjuster = assignedTo(claim);
        await().atMost(WAIT).until(() -> TestRedis.template().opsForStream().size(hub.globalLog) >= 3);
        assertThat(TestRedis.template().opsForStream().size(ClaimKeys.claimStream(claim))).isEqualTo(2);
        assertThat(hub.workloads.openClaims(adjuster)).isEqualTo(1);
        assertThat(hub.workloads.openClaimCounts()).containsEntry(adjuster, 1)
                .doesNotContainEntry(adjuster.equals("ADJ-01") ? "ADJ-02" : "ADJ-01", 1);
        assertThat(hub.workloads.assignedOn(adjuster, LocalDate.now(ZoneOffset.UTC))).isEqualTo(1);
    }

    @Test
    void theEntryOfAnAssignmentThisInstanceMadeAndAppliedIsAcknowledgedWithoutACatchUp() throws Exception {
        // given the processors on two consumer threads (as the hub runs them: the claim.assigned entry usually reaches
        // the other thread while the first is still tracking the workload)
        unstartedHubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 100)).start(2);

        // when claims are assigned by this hub and their claim.assigned entries come round to the processors
        List<String> claims = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            claims.add(hub.submit("auto", "north", "1500.00"));
        }
        claims.forEach(claim -> assertThat(assignedTo(claim)).isEqualTo("ADJ-01"));
        hub.awaitLogConsumed();

        // expect those entries acknowledged without reaching the snapshot step, and nothing left undone
        assertThat(hub.caughtUp).containsExactlyInAnyOrderElementsOf(
                claims.stream().map(claim -> "claim.submitted " + claim).toList());
        for (String claim : claims) {
            assertThat(hub.snapshots.read(claim)).get().satisfies(s -> {
                assertThat(s.version()).isEqualTo(2);
                assertThat(s.assigneeId()).isEqualTo("ADJ-01");
            });
        }
        assertThat(hub.workloads.openClaims("ADJ-01")).isEqualTo(20);
        assertThat(hub.workloads.openClaimCounts()).containsEntry("ADJ-01", 20);
    }

    @Test
    void theEntryOfAnAssignmentAnotherInstanceMadeGoesThroughBothSteps() throws Exception {
        // given a claim assigned by another hub instance before this one's processors run
        unstartedHubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 10));
        String claim = hub.submit("auto", "north", "1500.00");
        assertThat(hub.otherInstanceAssignment().assign(claim)).isEqualTo(ClaimAssignment.Outcome.ASSIGNED);
        // and its workload entry lost (as if that instance had stopped right after the append)
        TestRedis.template().delete(List.of(hub.keys.claimOwners(), hub.keys.openClaims("ADJ-01"),
                hub.keys.openClaimCounts()));

        // when this instance's processors consume the log
        hub.start(1);
        hub.awaitLogConsumed();

        // expect both entries caught up here, and the claim.assigned delivery tracking the claim again
        assertThat(hub.caughtUp).containsExactly("claim.submitted " + claim, "claim.assigned " + claim);
        assertThat(hub.workloads.openClaims("ADJ-01")).isEqualTo(1);
        assertThat(hub.workloads.openClaimCounts()).containsEntry("ADJ-01", 1);
    }

    @Test
    void anAssignmentWhoseTrackingFailedAfterItsAppendIsNotSkippedWhenItsEntryComesRound() throws Exception {
        // given a submitted claim, and the workload index unwritable for one attempt
        unstartedHubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 10));
        String claim = hub.submit("auto", "north", "1500.00");
        ClaimAssignment assignment = hub.newAssignment();
        TestRedis.template().opsForValue().set(hub.keys.claimOwners(), "not a hash");

        // when the assignment's append lands but its workload tracking fails
        assertThatThrownBy(() -> assignment.assign(claim)).isInstanceOf(RuntimeException.class);
        assertThat(hub.store.history(claim)).hasSize(2);
        TestRedis.template().delete(hub.keys.claimOwners());

        // expect its claim.assigned entry outstanding for the processors, not acknowledged as done
        java.util.Map<String, String> fields = hub.globalLogEntry(1);
        assertThat(fields).containsEntry("eventType", "claim.assigned");
        assertThat(assignment.isOutstanding(fields, hub.globalLogEntryId(1))).isTrue();
        // and the route, consuming the log, tracks the claim
        hub.start(1);
        hub.awaitLogConsumed();
        assertThat(hub.workloads.openClaims("ADJ-01")).isEqualTo(1);
    }

    @Test
    void aStepRetriedWithTheStateOfItsFirstAttemptDoesNotQueueAClaimAssignedMeanwhile() throws Exception {
        // given a claim assigned to the only adjuster, who now has no room left
        hubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 1));
        String claim = hub.submit("auto", "north", "1500.00");
        assertThat(assignedTo(claim)).isEqualTo("ADJ-01");
        // and the state the step was first given (as Camel's redelivery of the second step hands it again)
        var submitted = hub.store.history(claim).get(0);
        ClaimState stale = hub.lifecycle.apply(null, submitted.event(), 1);

        // when the assignment step runs again on that stale state
        hub.newAssignment().onCaughtUp(new io.claimshub.store.CaughtUpClaim(submitted, stale));

        // expect the claim recognised as assigned, not queued for an adjuster
        assertThat(hub.unassigned.count()).isZero();
        assertThat(hub.workloads.openClaims("ADJ-01")).isEqualTo(1);
    }

    @Test
    void aClaimWithFraudIndicatorsCannotBeApprovedUntilAnInvestigationClearsIt() throws Exception {
        // given a claimant submitting a third claim within the window (threshold 3)
        hubWith(adjuster("ADJ-01", "auto", "north", "SENIOR", 10));
        String email = "repeat-" + UUID.randomUUID() + "@example.com";
        hub.submit("auto", "north", "100.00", email);
        hub.submit("auto", "north", "100.00", email);
        String third = hub.submit("auto", "north", "100.00", email);

        // expect it assigned with the investigation required, recorded in the event, so a replay has it too
        assignedTo(third);
        ClaimState state = hub.state(third).orElseThrow();
        assertThat(state.investigationRequired()).isTrue();
        assertThat(state.investigationReason()).contains("claimant has submitted 3 claims");

        // expect approval refused, then accepted once an investigation cleared it (the policy covers the claim)
        PolicyCheckFeed.recordCovering(hub.store, third);
        PushOutcome refused = hub.commands.push(third, "claim.approved", EventJson.parse(
                "{\"approvedAmount\":{\"amount\":100.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}", "data"), null, null);
        assertThat(refused).isInstanceOf(PushOutcome.Conflict.class);
        assertThat(hub.commands.push(third, "claim.investigated", EventJson.parse(
                "{\"investigatorId\":\"INV-7\",\"outcome\":\"cleared\"}", "data"), null, null))
                .isInstanceOf(PushOutcome.Accepted.class);
        assertThat(hub.commands.push(third, "claim.approved", EventJson.parse(
                "{\"approvedAmount\":{\"amount\":100.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}", "data"), null, null))
                .isInstanceOf(PushOutcome.Accepted.class);
    }

    @Test
    void anApprovalAboveTheAssigneesAuthorityLimitIsRefused() throws Exception {
        // given a claim of 12000 assigned to an adjuster whose authority limit is 10000
        hubWith(adjuster("ADJ-01", "auto", "north", "SENIOR", 10));
        String claim = hub.submit("auto", "north", "12000.00");
        assignedTo(claim);
        PolicyCheckFeed.recordCovering(hub.store, claim);

        PushOutcome outcome = hub.commands.push(claim, "claim.approved", EventJson.parse(
                "{\"approvedAmount\":{\"amount\":12000.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}", "data"), null, null);

        assertThat(outcome).isInstanceOfSatisfying(PushOutcome.Conflict.class, conflict -> assertThat(conflict.reason())
                .isEqualTo("approval of 12000.00 exceeds adjuster ADJ-01's authority limit of 10000.00"));
    }
}
