package io.claimshub.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.assignment.AdjusterWorkloads;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.ClaimAssigned;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.ClaimSlaBreached;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventType;
import io.claimshub.event.StoredEvent;
import io.claimshub.store.AppendResult;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.store.ClaimantPseudonyms;
import io.claimshub.store.ProcessingKeys;
import io.claimshub.testsupport.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The SLA scheduler against a real Redis: one breach per deadline, whatever the number of instances or crashes. */
@Tag("redis")
class SlaSchedulerTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant DEADLINE = NOW.minus(Duration.ofMinutes(1));
    private static final Duration LEASE = Duration.ofSeconds(60);

    private final ProcessingKeys keys = new ProcessingKeys(TestRedis.uniqueKey("hub"));
    private final ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), TestRedis.uniqueKey("events"));
    private final AdjusterWorkloads workloads = new AdjusterWorkloads(TestRedis.connectionFactory(), keys,
            new ClaimantPseudonyms("a-test-secret-of-at-least-32-characters"));
    private final SlaBreaches breaches = new SlaBreaches(TestRedis.connectionFactory(), keys, 100);

    private SlaScheduler schedulerAt(Instant now) {
        return new SlaScheduler(store, breaches, TestRedis.connectionFactory(), keys, LEASE,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    /** A claim assigned to ADJ-01 with the given deadline, tracked as the processors route would. */
    private String assignedClaim(Instant deadline) {
        String claimId = ClaimIds.newClaimId();
        Instant submitted = deadline.minus(Duration.ofHours(80));
        store.append(EventEnvelope.of(claimId, submitted, ClaimEventFixtures.submission()), 0);
        store.append(EventEnvelope.of(claimId, submitted.plusSeconds(60),
                new ClaimAssigned("ADJ-01", "Maria Keller", submitted.plusSeconds(60), deadline)), 1);
        workloads.track(store.replay(claimId).orElseThrow());
        return claimId;
    }

    private long breachesOf(String claimId) {
        return store.history(claimId).stream().map(StoredEvent::event)
                .filter(e -> e.type() == EventType.CLAIM_SLA_BREACHED).count();
    }

    private long dueEntries() {
        Long size = TestRedis.template().opsForZSet().zCard(keys.slaDeadlines());
        return size == null ? 0 : size;
    }

    @Test
    void twoSchedulersRacingRaiseOneBreachPerClaim() throws Exception {
        // given twenty assigned claims past their deadline, and one not yet due
        List<String> overdue = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            overdue.add(assignedClaim(DEADLINE));
        }
        String notDue = assignedClaim(NOW.plus(Duration.ofHours(1)));

        // when two hub instances check at the same moment
        SlaScheduler one = schedulerAt(NOW);
        SlaScheduler two = schedulerAt(NOW);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch gate = new CountDownLatch(1);
        Future<Integer> a = pool.submit(() -> {
            gate.await();
            return one.checkDue();
        });
        Future<Integer> b = pool.submit(() -> {
            gate.await();
            return two.checkDue();
        });
        gate.countDown();
        int raised = a.get() + b.get();
        pool.shutdown();

        // expect exactly one breach per overdue claim, none for the other, and the breaches listed
        assertThat(raised).isEqualTo(20);
        overdue.forEach(claimId -> assertThat(breachesOf(claimId)).as(claimId).isEqualTo(1));
        assertThat(breachesOf(notDue)).isZero();
        assertThat(dueEntries()).isEqualTo(1);
        assertThat(breaches.recent(100)).hasSize(20)
                .allSatisfy(breach -> assertThat(breach.slaDeadline()).isEqualTo(DEADLINE));
        ClaimState state = store.replay(overdue.get(0)).orElseThrow();
        assertThat(state.slaBreachedAt()).isEqualTo(NOW);

        // and checking again, even much later, raises nothing new for them
        assertThat(schedulerAt(NOW.plusSeconds(600)).checkDue()).isZero();
    }

    @Test
    void theBreachIsInTheClaimsSnapshotAsSoonAsItIsAppended() {
        // given an overdue claim
        String claimId = assignedClaim(DEADLINE);

        // when the scheduler raises its breach, with no processors running to catch the snapshot up
        assertThat(schedulerAt(NOW).checkDue()).isEqualTo(1);

        // expect the snapshot written with the append, at the breach's version
        ClaimState snapshot = new ClaimSnapshots(TestRedis.connectionFactory(), store, new ClaimLifecycle())
                .read(claimId).orElseThrow();
        assertThat(snapshot.version()).isEqualTo(3);
        assertThat(snapshot.slaBreachedAt()).isEqualTo(NOW);
    }

    @Test
    void aDeadlineLeasedByAnInstanceThatCrashedIsBreachedOnceTheLeaseEnds() {
        // given an overdue claim whose deadline an instance leased and then died holding
        String claimId = assignedClaim(DEADLINE);
        TestRedis.template().opsForZSet().add(keys.slaDeadlines(), claimId, NOW.plus(LEASE).toEpochMilli());

        // expect nobody to breach it while the lease runs, and one breach after
        assertThat(schedulerAt(NOW).checkDue()).isZero();
        assertThat(schedulerAt(NOW.plus(LEASE).plusSeconds(1)).checkDue()).isEqualTo(1);
        assertThat(breachesOf(claimId)).isEqualTo(1);
        assertThat(dueEntries()).isZero();
    }

    @Test
    void aBreachAppendedBeforeACrashIsNotAppendedAgain() {
        // given an instance that appended the breach and crashed before removing the deadline
        String claimId = assignedClaim(DEADLINE);
        EventEnvelope breach = EventEnvelope.of(claimId, NOW, new ClaimSlaBreached("ADJ-01", DEADLINE, NOW));
        breach = new EventEnvelope(SlaScheduler.breachEventId(claimId, DEADLINE), breach.eventType(), claimId, NOW,
                breach.data(), breach.version());
        assertThat(store.append(breach, 2)).isInstanceOf(AppendResult.Appended.class);

        // when another instance checks
        assertThat(schedulerAt(NOW.plusSeconds(30)).checkDue()).isZero();

        // expect the one breach, and the deadline gone
        assertThat(breachesOf(claimId)).isEqualTo(1);
        assertThat(dueEntries()).isZero();
    }

    @Test
    void aDecidedClaimIsNotBreached() {
        // given an overdue claim that was rejected while its deadline is still listed (tracking lags behind)
        String claimId = assignedClaim(DEADLINE);
        store.append(EventEnvelope.of(claimId, NOW.minusSeconds(30), ClaimEventFixtures.rejection()), 2);

        assertThat(schedulerAt(NOW).checkDue()).isZero();
        assertThat(breachesOf(claimId)).isZero();
        assertThat(dueEntries()).isZero();
    }
}
