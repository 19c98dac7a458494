package io.claimshub.store;

import static io.claimshub.event.ClaimEventFixtures.CLAIMED;
import static io.claimshub.event.ClaimEventFixtures.approval;
import static io.claimshub.event.ClaimEventFixtures.assignment;
import static io.claimshub.event.ClaimEventFixtures.documentUpload;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static io.claimshub.store.StoreFixtures.T0;
import static io.claimshub.store.StoreFixtures.entries;
import static io.claimshub.store.StoreFixtures.eventAt;
import static io.claimshub.store.StoreFixtures.length;
import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.testsupport.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class ClaimEventStoreTest {

    private final String globalLog = StoreFixtures.newGlobalLog();
    private final ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), globalLog);
    private final String claimId = StoreFixtures.newClaimId();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void appendWritesTheSameFlatEntryToTheClaimStreamAndTheGlobalLog() {
        // given
        EventEnvelope submitted = eventAt(claimId, T0, submission());

        // when
        AppendResult result = store.append(submitted, 0);

        // expect
        assertThat(result).isInstanceOf(AppendResult.Appended.class);
        AppendResult.Appended appended = (AppendResult.Appended) result;
        assertThat(appended.version()).isEqualTo(1);
        Map<String, String> expectedFields = new java.util.LinkedHashMap<>(StreamEntryCodec.encode(submitted, 1));
        // last, the entry's link in the claim's hash chain (the first: no predecessor)
        expectedFields.put(EventChain.FIELD, store.chain().link(claimId, "",
                new java.util.ArrayList<>(StreamEntryCodec.encode(submitted, 1).entrySet())));
        var claimEntries = entries(ClaimKeys.claimStream(claimId));
        var globalEntries = entries(globalLog);
        assertThat(claimEntries).singleElement().satisfies(entry -> {
            assertThat(entry.getKey()).isEqualTo(appended.claimEntryId());
            assertThat(entry.getValue()).containsExactlyEntriesOf(expectedFields);
        });
        assertThat(globalEntries).singleElement().satisfies(entry -> {
            assertThat(entry.getKey()).isEqualTo(appended.globalEntryId());
            assertThat(entry.getValue()).containsExactlyEntriesOf(expectedFields);
        });
        assertThat(TestRedis.template().opsForHash().get(ClaimKeys.eventIds(claimId), submitted.eventId().toString()))
                .isEqualTo("1 " + appended.globalEntryId() + " " + appended.claimEntryId());
    }

    @Test
    void eachAppendNumbersTheEventWithTheClaimsNextVersion() {
        // given
        store.append(eventAt(claimId, T0, submission()), 0);

        // when
        AppendResult second = store.append(eventAt(claimId, T0.plusSeconds(60), assignment()), ClaimEventStore.ANY);

        // expect
        assertThat(second).isInstanceOfSatisfying(AppendResult.Appended.class, a -> assertThat(a.version()).isEqualTo(2));
        assertThat(entries(globalLog)).extracting(e -> e.getValue().get("claimVersion")).containsExactly("1", "2");
        assertThat(store.currentVersion(claimId)).isEqualTo(2);
    }

    @Test
    void aDuplicateEventIdAnswersTheFirstResultAndWritesNothing() {
        // given
        EventEnvelope submitted = eventAt(claimId, T0, submission());
        AppendResult.Appended first = (AppendResult.Appended) store.append(submitted, 0);
        store.append(eventAt(claimId, T0.plusSeconds(60), assignment()), 1);

        // when the first event is retried, with an expected version that is stale by now
        AppendResult retried = store.append(submitted, 0);

        // expect
        assertThat(retried).isEqualTo(new AppendResult.Duplicate(1, first.claimEntryId(), first.globalEntryId()));
        assertThat(length(ClaimKeys.claimStream(claimId))).isEqualTo(2);
        assertThat(length(globalLog)).isEqualTo(2);
    }

    @Test
    void aStaleExpectedVersionIsAConflictAndWritesNothing() {
        // given
        store.append(eventAt(claimId, T0, submission()), 0);
        store.append(eventAt(claimId, T0.plusSeconds(60), assignment()), 1);

        // when
        AppendResult result = store.append(eventAt(claimId, T0.plusSeconds(120), documentUpload()), 1);

        // expect
        assertThat(result).isEqualTo(new AppendResult.VersionConflict(2));
        assertThat(length(ClaimKeys.claimStream(claimId))).isEqualTo(2);
        assertThat(length(globalLog)).isEqualTo(2);
    }

    @Test
    void twoConcurrentAppendsAtTheSameVersionLetExactlyOneWin() throws Exception {
        for (int round = 0; round < 50; round++) {
            // given a claim at version 1 and two writers that both decided on it
            String claim = StoreFixtures.newClaimId();
            store.append(eventAt(claim, T0, submission()), 0);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<AppendResult>> writers = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                EventEnvelope upload = eventAt(claim, T0.plusSeconds(60), documentUpload());
                writers.add(threads.submit(() -> {
                    start.await();
                    return store.append(upload, 1);
                }));
            }

            // when
            start.countDown();
            List<AppendResult> results = new ArrayList<>();
            for (Future<AppendResult> writer : writers) {
                results.add(writer.get(10, TimeUnit.SECONDS));
            }

            // expect
            assertThat(results).filteredOn(AppendResult.Appended.class::isInstance).hasSize(1);
            assertThat(results).filteredOn(AppendResult.VersionConflict.class::isInstance)
                    .containsExactly(new AppendResult.VersionConflict(2));
            assertThat(store.currentVersion(claim)).isEqualTo(2);
        }
    }

    @Test
    void historyGivesTheClaimsEventsInOrder() {
        // given
        EventEnvelope submitted = eventAt(claimId, T0, submission());
        EventEnvelope assigned = eventAt(claimId, T0.plusSeconds(60), assignment());
        EventEnvelope uploaded = eventAt(claimId, T0.plusSeconds(120), documentUpload());
        store.append(submitted, 0);
        store.append(assigned, 1);
        store.append(uploaded, 2);

        // when
        List<StoredEvent> history = store.history(claimId);

        // expect
        assertThat(history).containsExactly(new StoredEvent(submitted, 1), new StoredEvent(assigned, 2),
                new StoredEvent(uploaded, 3));
        assertThat(store.history(StoreFixtures.newClaimId())).isEmpty();
    }

    @Test
    void stateAsOfFoldsTheEventsUpToThatInstant() {
        // given
        store.append(eventAt(claimId, T0, submission()), 0);
        store.append(eventAt(claimId, T0.plus(Duration.ofHours(1)), assignment()), 1);
        store.append(eventAt(claimId, T0.plus(Duration.ofHours(2)), approval(CLAIMED)), 2);

        // expect
        assertThat(store.stateAsOf(claimId, T0.minusMillis(1))).isEmpty();
        assertThat(store.stateAsOf(claimId, T0)).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo(ClaimStatus.SUBMITTED);
            assertThat(s.version()).isEqualTo(1);
        });
        assertThat(store.stateAsOf(claimId, T0.plus(Duration.ofMinutes(90)))).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo(ClaimStatus.ASSIGNED);
            assertThat(s.version()).isEqualTo(2);
        });
        ClaimState now = store.replay(claimId).orElseThrow();
        assertThat(now.status()).isEqualTo(ClaimStatus.APPROVED);
        assertThat(store.stateAsOf(claimId, T0.plus(Duration.ofDays(30)))).contains(now);
    }

    @Test
    void aClaimThatNeverExistedReplaysToNothing() {
        assertThat(store.replay(claimId)).isEmpty();
        assertThat(store.currentVersion(claimId)).isZero();
    }
}
