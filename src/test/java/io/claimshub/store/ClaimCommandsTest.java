package io.claimshub.store;

import static io.claimshub.event.ClaimEventFixtures.CLAIMED;
import static io.claimshub.event.ClaimEventFixtures.approval;
import static io.claimshub.event.ClaimEventFixtures.assignment;
import static io.claimshub.event.ClaimEventFixtures.documentUpload;
import static io.claimshub.event.ClaimEventFixtures.slaBreach;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static io.claimshub.store.StoreFixtures.T0;
import static io.claimshub.store.StoreFixtures.length;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventValidator;
import io.claimshub.event.FieldError;
import io.claimshub.testsupport.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.RedisCallback;

@Tag("redis")
class ClaimCommandsTest {

    private static final EventValidator VALIDATOR = new EventValidator();

    private final String globalLog = StoreFixtures.newGlobalLog();
    private final ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), globalLog);
    private final ClaimCommands commands = new ClaimCommands(store, new ClaimLifecycle(), VALIDATOR,
            TestRedis.connectionFactory(), Clock.fixed(T0, ZoneOffset.UTC));
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aSubmissionOpensAClaimAtVersionOne() {
        // when
        SubmitOutcome outcome = commands.submit(json(submission()), null, null);

        // expect
        SubmitOutcome.Accepted accepted = (SubmitOutcome.Accepted) outcome;
        assertThat(accepted.version()).isEqualTo(1);
        assertThat(store.replay(accepted.claimId())).hasValueSatisfying(state -> {
            assertThat(state.status()).isEqualTo(ClaimStatus.SUBMITTED);
            assertThat(state.lastEventId()).isEqualTo(accepted.eventId());
            assertThat(state.submittedAt()).isEqualTo(T0);
        });
    }

    @Test
    void anAcceptedSubmissionsSnapshotIsReadableAtOnce() {
        // when (no consumer runs in this test)
        SubmitOutcome.Accepted accepted = (SubmitOutcome.Accepted) commands.submit(json(submission()), null, null);

        // expect the snapshot written with the append
        assertThat(TestRedis.template().opsForHash().entries(ClaimKeys.snapshot(accepted.claimId())))
                .containsEntry("status", "submitted")
                .containsEntry("version", "1");
    }

    @Test
    void anSlaBreachIsRaisedByTheHubOnlyAndRefusedWhenPushedNamingTheEventType() {
        // given an assigned claim, which the lifecycle would let breach its SLA
        SubmitOutcome.Accepted accepted = (SubmitOutcome.Accepted) commands.submit(json(submission()), null, null);
        assertThat(commands.push(accepted.claimId(), "claim.assigned", json(assignment()), null, null))
                .isInstanceOf(PushOutcome.Accepted.class);

        // when a client pushes the breach
        PushOutcome outcome = commands.push(accepted.claimId(), "claim.sla.breached", json(slaBreach()), null, null);

        // expect it refused, naming the event type, and nothing written
        assertThat(outcome).isInstanceOfSatisfying(PushOutcome.Invalid.class, invalid -> assertThat(invalid.errors())
                .containsExactly(new FieldError("eventType", "claim.sla.breached is raised by the hub's SLA scheduler"
                        + " only; a client cannot push it")));
        assertThat(store.history(accepted.claimId())).hasSize(2);
    }

    @Test
    void anAcceptedPushStoresTheSnapshotItLeaves() {
        // given a submitted claim
        SubmitOutcome.Accepted accepted = (SubmitOutcome.Accepted) commands.submit(json(submission()), null, null);

        // when an assignment is pushed (no consumer runs in this test)
        PushOutcome outcome = commands.push(accepted.claimId(), "claim.assigned", json(assignment()), null, null);

        // expect the snapshot at the new version, equal to a replay
        assertThat(outcome).isInstanceOf(PushOutcome.Accepted.class);
        assertThat(TestRedis.template().opsForHash().entries(ClaimKeys.snapshot(accepted.claimId())))
                .containsEntry("status", "assigned")
                .containsEntry("version", "2");
    }

    @Test
    void aSubmissionRetriedWithTheSameIdempotencyKeyAnswersTheFirstResultAndStoresOneEvent() {
        // given
        String key = "retry-" + UUID.randomUUID();
        SubmitOutcome first = commands.submit(json(submission()), key, null);

        // when
        SubmitOutcome retried = commands.submit(json(submission()), key, null);

        // expect
        assertThat(first).isInstanceOf(SubmitOutcome.Accepted.class);
        assertThat(retried).isEqualTo(first);
        assertThat(length(globalLog)).isEqualTo(1);
        assertThat(store.currentVersion(((SubmitOutcome.Accepted) first).claimId())).isEqualTo(1);
    }

    @Test
    void aSubmissionRetriedWithTheSameEventIdAnswersTheFirstResult() {
        // given
        UUID eventId = UUID.randomUUID();
        SubmitOutcome first = commands.submit(json(submission()), null, eventId);

        // when
        SubmitOutcome retried = commands.submit(json(submission()), null, eventId);

        // expect
        assertThat(first).isInstanceOfSatisfying(SubmitOutcome.Accepted.class,
                accepted -> assertThat(accepted.eventId()).isEqualTo(eventId));
        assertThat(retried).isEqualTo(first);
        assertThat(length(globalLog)).isEqualTo(1);
    }

    @Test
    void anInvalidSubmissionNamesItsErrorsAndWritesNothing() {
        // given
        String key = "invalid-" + UUID.randomUUID();
        ObjectNode data = json(submission());
        data.remove("policyNumber");
        data.withObject("claimant").put("email", "not-an-email");

        // when
        SubmitOutcome outcome = commands.submit(data, key, null);

        // expect
        assertThat(outcome).isInstanceOfSatisfying(SubmitOutcome.Invalid.class, invalid ->
                assertThat(invalid.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("data.policyNumber", "data.claimant.email"));
        assertThat(length(globalLog)).isZero();
        assertThat(idempotencyRecord(key)).isNull();
    }

    @Test
    void aPushForAnUnknownClaimIsNotFound() {
        // given
        String claimId = StoreFixtures.newClaimId();

        // when
        PushOutcome outcome = commands.push(claimId, "claim.assigned", json(assignment()), null, null);

        // expect
        assertThat(outcome).isEqualTo(new PushOutcome.NotFound(claimId));
        assertThat(length(globalLog)).isZero();
    }

    @Test
    void aPushOfAnUnknownEventTypeOrBadDataIsInvalid() {
        // given
        String claimId = submittedClaim();
        ObjectNode badAssignment = json(assignment());
        badAssignment.remove("adjusterId");

        // expect
        assertThat(commands.push(claimId, "claim.reopened", json(assignment()), null, null))
                .isInstanceOfSatisfying(PushOutcome.Invalid.class, invalid ->
                        assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("eventType"));
        assertThat(commands.push(claimId, "claim.assigned", badAssignment, null, null))
                .isInstanceOfSatisfying(PushOutcome.Invalid.class, invalid ->
                        assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("data.adjusterId"));
        assertThat(length(globalLog)).isEqualTo(1);
    }

    @Test
    void aPushTheLifecycleRefusesIsAConflictWithTheClaimsState() {
        // given
        String claimId = submittedClaim();

        // when
        PushOutcome outcome = commands.push(claimId, "claim.approved", json(approval(CLAIMED)), null, null);

        // expect
        assertThat(outcome).isInstanceOfSatisfying(PushOutcome.Conflict.class, conflict -> {
            assertThat(conflict.reason()).isEqualTo("cannot approve an unassigned claim");
            assertThat(conflict.state().status()).isEqualTo(ClaimStatus.SUBMITTED);
            assertThat(conflict.currentVersion()).isEqualTo(1);
        });
        assertThat(store.currentVersion(claimId)).isEqualTo(1);
    }

    @Test
    void aPushWithAStaleExpectedVersionIsAConflict() {
        // given
        String claimId = submittedClaim();
        commands.push(claimId, "claim.assigned", json(assignment()), null, 1L);

        // when
        PushOutcome outcome = commands.push(claimId, "claim.document.uploaded", json(documentUpload()), null, 1L);

        // expect
        assertThat(outcome).isInstanceOfSatisfying(PushOutcome.Conflict.class, conflict -> {
            assertThat(conflict.reason()).isEqualTo("expected version 1 but the claim is at 2");
            assertThat(conflict.state().status()).isEqualTo(ClaimStatus.ASSIGNED);
            assertThat(conflict.currentVersion()).isEqualTo(2);
        });
        assertThat(store.currentVersion(claimId)).isEqualTo(2);
    }

    @Test
    void anAcceptedPushIsTheClaimsNextEvent() {
        // given
        String claimId = submittedClaim();
        UUID eventId = UUID.randomUUID();

        // when
        PushOutcome outcome = commands.push(claimId, "claim.assigned", json(assignment()), eventId, 1L);

        // expect
        assertThat(outcome).isEqualTo(new PushOutcome.Accepted(claimId, eventId, 2));
        assertThat(store.replay(claimId)).hasValueSatisfying(state -> {
            assertThat(state.status()).isEqualTo(ClaimStatus.ASSIGNED);
            assertThat(state.assigneeId()).isEqualTo("ADJ-042");
        });
        assertThat(length(globalLog)).isEqualTo(2);
    }

    @Test
    void aRetriedPushAnswersTheFirstResultEvenAfterTheClaimMovedOn() {
        // given
        String claimId = submittedClaim();
        UUID eventId = UUID.randomUUID();
        commands.push(claimId, "claim.assigned", json(assignment()), eventId, 1L);
        commands.push(claimId, "claim.document.uploaded", json(documentUpload()), null, null);

        // when
        PushOutcome retried = commands.push(claimId, "claim.assigned", json(assignment()), eventId, 1L);

        // expect
        assertThat(retried).isEqualTo(new PushOutcome.Accepted(claimId, eventId, 2));
        assertThat(store.currentVersion(claimId)).isEqualTo(3);
    }

    @Test
    void twoConcurrentPushesAreBothDecidedAndAppendedInTurn() throws Exception {
        for (int round = 0; round < 20; round++) {
            // given
            String claimId = submittedClaim();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<PushOutcome>> writers = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                writers.add(threads.submit(() -> {
                    start.await();
                    return commands.push(claimId, "claim.document.uploaded", json(documentUpload()), null, null);
                }));
            }

            // when
            start.countDown();
            List<Long> versions = new ArrayList<>();
            for (Future<PushOutcome> writer : writers) {
                versions.add(((PushOutcome.Accepted) writer.get(10, TimeUnit.SECONDS)).version());
            }

            // expect
            assertThat(versions).containsExactlyInAnyOrder(2L, 3L);
            assertThat(store.replay(claimId).orElseThrow().documentsCount()).isEqualTo(2);
        }
    }

    @Test
    void anAcceptedEventCostsAtMostTwoRedisRoundTrips() {
        // given commands whose every Redis operation is counted
        CountingConnectionFactory counting = new CountingConnectionFactory(TestRedis.connectionFactory());
        ClaimEventStore countedStore = new ClaimEventStore(counting.factory(), globalLog);
        ClaimCommands counted = new ClaimCommands(countedStore, new ClaimLifecycle(), VALIDATOR, counting.factory(),
                Clock.fixed(T0, ZoneOffset.UTC));

        // when
        SubmitOutcome.Accepted submitted = (SubmitOutcome.Accepted) counted.submit(json(submission()),
                "budget-" + UUID.randomUUID(), null);
        int submitRoundTrips = counting.takeCount();
        PushOutcome pushed = counted.push(submitted.claimId(), "claim.assigned", json(assignment()), null, 1L);
        int pushRoundTrips = counting.takeCount();

        // expect
        assertThat(pushed).isInstanceOf(PushOutcome.Accepted.class);
        assertThat(submitRoundTrips).isEqualTo(2);
        assertThat(pushRoundTrips).isEqualTo(2);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherPayloadIsRefusedAsReused() {
        // given
        String key = "reused-" + UUID.randomUUID();
        SubmitOutcome first = commands.submit(json(submission()), key, null);
        ObjectNode other = json(submission());
        other.put("policyNumber", "POL-999999");

        // when
        SubmitOutcome reused = commands.submit(other, key, null);

        // expect
        assertThat(first).isInstanceOf(SubmitOutcome.Accepted.class);
        assertThat(reused).isInstanceOf(SubmitOutcome.KeyReused.class);
        assertThat(length(globalLog)).isEqualTo(1);
    }

    @Test
    void aSubmissionThatFailsLeavesNoReservationBehind() {
        // given a global log the append cannot write to (a string where a stream belongs)
        String brokenLog = StoreFixtures.newGlobalLog();
        TestRedis.template().opsForValue().set(brokenLog, "not a stream");
        ClaimCommands failing = new ClaimCommands(new ClaimEventStore(TestRedis.connectionFactory(), brokenLog),
                new ClaimLifecycle(), VALIDATOR, TestRedis.connectionFactory(), Clock.fixed(T0, ZoneOffset.UTC));
        String key = "failing-" + UUID.randomUUID();

        // when
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.submit(json(submission()), key, null))
                .isInstanceOf(RuntimeException.class);

        // expect the key free at once, for this payload or another
        try {
            assertThat(idempotencyRecord(key)).isNull();
            ObjectNode other = json(submission());
            other.put("policyNumber", "POL-999999");
            assertThat(commands.submit(other, key, null)).isInstanceOf(SubmitOutcome.Accepted.class);
        } finally {
            TestRedis.template().delete(brokenLog);
        }
    }

    @Test
    void aTwinInFlightIsToldSoAndAReservationWhoseHubDiedLapsesWithItsLease() {
        // given a reservation made by a request that never finished (its hub died before the append)
        String key = "lapsed-" + UUID.randomUUID();
        MutableClock clock = new MutableClock(T0);
        ClaimCommands later = new ClaimCommands(store, new ClaimLifecycle(), VALIDATOR, TestRedis.connectionFactory(),
                clock);
        IdempotencyRecords records = new IdempotencyRecords(TestRedis.template(), clock,
                ClaimCommands.IDEMPOTENCY_WINDOW, ClaimCommands.IN_FLIGHT_LEASE);
        records.reserve(ClaimKeys.idempotencyRecordId(key),
                IdempotencyRecord.fingerprint(json(submission()), null), StoreFixtures.newClaimId(), UUID.randomUUID());

        // expect a twin within the lease to be told the first is in flight, and one after it to be accepted
        assertThat(later.submit(json(submission()), key, null)).isInstanceOf(SubmitOutcome.KeyInFlight.class);
        clock.advance(ClaimCommands.IN_FLIGHT_LEASE.plusSeconds(1));
        assertThat(later.submit(json(submission()), key, null)).isInstanceOf(SubmitOutcome.Accepted.class);
        assertThat(length(globalLog)).isEqualTo(1);
    }

    @Test
    void aRequestThatOutlivedItsLeaseAppendsNothingOnceAnotherTookTheKey() {
        // given a slow request's reservation, lapsed and taken over by a retry
        MutableClock clock = new MutableClock(T0);
        IdempotencyRecords records = new IdempotencyRecords(TestRedis.template(), clock,
                ClaimCommands.IDEMPOTENCY_WINDOW, ClaimCommands.IN_FLIGHT_LEASE);
        String recordId = ClaimKeys.idempotencyRecordId("slow-" + UUID.randomUUID());
        String fingerprint = IdempotencyRecord.fingerprint(json(submission()), null);
        IdempotencyRecords.Reservation slow = records.reserve(recordId, fingerprint, StoreFixtures.newClaimId(),
                UUID.randomUUID());
        clock.advance(ClaimCommands.IN_FLIGHT_LEASE.plusSeconds(1));
        IdempotencyRecords.Reservation retry = records.reserve(recordId, fingerprint, StoreFixtures.newClaimId(),
                UUID.randomUUID());

        // when the slow one comes to append
        EventEnvelope event = new EventEnvelope(slow.record().eventId(), "claim.submitted", slow.record().claimId(),
                T0, json(submission()), EventEnvelope.CURRENT_VERSION);
        AppendResult result = store.append(event, 0, null, slow);

        // expect
        assertThat(slow.ours()).isTrue();
        assertThat(retry.ours()).isTrue();
        assertThat(result).isInstanceOf(AppendResult.ReservationLost.class);
        assertThat(length(globalLog)).isZero();
    }

    @Test
    void anIdempotencyRecordIsOneShortFieldOfASmallCompactlyEncodedHash() {
        // given
        String key = UUID.randomUUID().toString();

        // when
        commands.submit(json(submission()), key, null);

        // expect 16 + 43 characters in a hash Redis keeps as a listpack (a string key per record took 229 bytes)
        String bucket = ClaimKeys.idempotencyBucket(ClaimKeys.idempotencyRecordId(key), T0.getEpochSecond() / 3600);
        assertThat(idempotencyRecord(key)).hasSize(43).startsWith("D");
        Object encoding = TestRedis.template().execute((RedisCallback<Object>) connection ->
                connection.execute("OBJECT", "ENCODING".getBytes(StandardCharsets.UTF_8),
                        bucket.getBytes(StandardCharsets.UTF_8)));
        assertThat(new String((byte[]) encoding, StandardCharsets.UTF_8)).isIn("listpack", "ziplist");
        assertThat(TestRedis.template().getExpire(bucket)).isGreaterThan(ClaimCommands.IDEMPOTENCY_WINDOW.toSeconds());
    }

    /** The idempotency record of a key reserved at T0 (the commands' fixed clock), or null. */
    private static String idempotencyRecord(String key) {
        String recordId = ClaimKeys.idempotencyRecordId(key);
        return (String) TestRedis.template().opsForHash().get(
                ClaimKeys.idempotencyBucket(recordId, T0.getEpochSecond() / 3600), recordId);
    }

    /** A clock a test moves on by hand. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private String submittedClaim() {
        return ((SubmitOutcome.Accepted) commands.submit(json(submission()), null, null)).claimId();
    }

    @Test
    void aBatchOfSubmissionsIsAnsweredAsOneByOneWithItsReservationsAndAppendsPipelined() {
        // given keys used before: with this payload, with another one, and one whose request is in flight
        String run = UUID.randomUUID().toString();
        ObjectNode other = json(submission());
        other.put("policyNumber", "POL-999999");
        SubmitOutcome.Accepted earlier = (SubmitOutcome.Accepted) commands.submit(json(submission()), "done-" + run, null);
        commands.submit(other, "reused-" + run, null);
        new IdempotencyRecords(TestRedis.template(), Clock.fixed(T0, ZoneOffset.UTC), ClaimCommands.IDEMPOTENCY_WINDOW,
                ClaimCommands.IN_FLIGHT_LEASE).reserve(ClaimKeys.idempotencyRecordId("in-flight-" + run),
                IdempotencyRecord.fingerprint(json(submission()), null), StoreFixtures.newClaimId(), UUID.randomUUID());
        ObjectNode invalid = json(submission());
        ((ObjectNode) invalid.get("claimant")).put("email", "not-an-email");

        // when a batch meets each of them, a new key, an invalid payload and a twin of the new key
        List<SubmitOutcome> outcomes = commands.submitAll(List.of(
                new ClaimCommands.KeyedSubmission(json(submission()), "new-" + run, null),
                new ClaimCommands.KeyedSubmission(invalid, "invalid-" + run, null),
                new ClaimCommands.KeyedSubmission(json(submission()), "done-" + run, null),
                new ClaimCommands.KeyedSubmission(json(submission()), "reused-" + run, null),
                new ClaimCommands.KeyedSubmission(json(submission()), "in-flight-" + run, null),
                new ClaimCommands.KeyedSubmission(json(submission()), "new-" + run, null)));

        // expect the answers of one-by-one submissions, and one new claim, readable at once
        assertThat(outcomes.get(0)).isInstanceOf(SubmitOutcome.Accepted.class);
        SubmitOutcome.Accepted opened = (SubmitOutcome.Accepted) outcomes.get(0);
        assertThat(outcomes.get(1)).isInstanceOf(SubmitOutcome.Invalid.class);
        assertThat(((SubmitOutcome.Invalid) outcomes.get(1)).errors()).extracting(FieldError::field)
                .containsExactly("data.claimant.email");
        assertThat(outcomes.get(2)).isEqualTo(earlier);
        assertThat(outcomes.get(3)).isInstanceOf(SubmitOutcome.KeyReused.class);
        assertThat(outcomes.get(4)).isInstanceOf(SubmitOutcome.KeyInFlight.class);
        assertThat(outcomes.get(5)).isEqualTo(opened);
        assertThat(length(globalLog)).isEqualTo(2 + 1);
        assertThat(TestRedis.template().opsForHash().entries(ClaimKeys.snapshot(opened.claimId())))
                .containsEntry("status", "submitted")
                .containsEntry("version", "1");
        assertThat(idempotencyRecord("invalid-" + run)).isNull();
    }

    private static ObjectNode json(ClaimEventData data) {
        JsonNode node = EventJson.toObjectNode(data);
        return (ObjectNode) node;
    }
}
