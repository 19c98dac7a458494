package io.claimshub.store;

import static io.claimshub.event.ClaimEventFixtures.CLAIMED;
import static io.claimshub.event.ClaimEventFixtures.approval;
import static io.claimshub.event.ClaimEventFixtures.assignment;
import static io.claimshub.event.ClaimEventFixtures.documentUpload;
import static io.claimshub.event.ClaimEventFixtures.slaBreach;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static io.claimshub.store.StoreFixtures.T0;
import static io.claimshub.store.StoreFixtures.entries;
import static io.claimshub.store.StoreFixtures.eventAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.InvalidEventException;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.testsupport.TestRedis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class ClaimSnapshotsTest {

    private final String globalLog = StoreFixtures.newGlobalLog();
    private final ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), globalLog);
    private final ClaimLifecycle lifecycle = new ClaimLifecycle();
    private final ClaimSnapshots snapshots = new ClaimSnapshots(TestRedis.connectionFactory(), store, lifecycle);
    private final String claimId = StoreFixtures.newClaimId();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void catchUpWritesTheSnapshotOfAFullReplayAndWhereItGotTo() {
        // given
        appendAll(claimId, submission(), assignment(), documentUpload());

        // when
        snapshots.catchUp(claimId);

        // expect
        assertThat(snapshots.read(claimId)).isEqualTo(store.replay(claimId));
        String lastEntryId = entries(ClaimKeys.claimStream(claimId)).get(2).getKey();
        assertThat(TestRedis.template().opsForHash().get(ClaimKeys.snapshot(claimId), ClaimSnapshots.STREAM_ENTRY_ID))
                .isEqualTo(lastEntryId);
    }

    @Test
    void eventsDeliveredTwiceAndOutOfOrderEndInTheSnapshotOfAFullReplay() throws Exception {
        // given the global log's entries for one claim, each delivered twice, in a shuffled order
        appendAll(claimId, submission(), assignment(), documentUpload(), slaBreach(), assignment("ADJ-7", "Ada"),
                approval(CLAIMED));
        List<Map.Entry<String, Map<String, String>>> deliveries = new ArrayList<>();
        for (var entry : entries(globalLog)) {
            deliveries.add(entry);
            deliveries.add(entry);
        }
        Collections.shuffle(deliveries, new Random(42));

        // when
        long lastVersion = 0;
        for (Map.Entry<String, Map<String, String>> delivery : deliveries) {
            snapshots.onEvent(delivery.getValue(), delivery.getKey());
            long version = snapshots.read(claimId).orElseThrow().version();
            // expect the snapshot never to move backwards
            assertThat(version).isGreaterThanOrEqualTo(lastVersion);
            lastVersion = version;
        }

        // expect
        ClaimState replayed = store.replay(claimId).orElseThrow();
        assertThat(snapshots.read(claimId)).contains(replayed);
        assertThat(replayed.status()).isEqualTo(ClaimStatus.APPROVED);
        // the reassignment cleared the SLA breach: a field the new snapshot leaves out is removed from the hash
        assertThat(replayed.slaBreachedAt()).isNull();
        assertThat(TestRedis.template().opsForHash().hasKey(ClaimKeys.snapshot(claimId), "slaBreachedAt")).isFalse();
    }

    @Test
    void concurrentCatchUpsLeaveTheSnapshotOfAFullReplay() throws Exception {
        for (int round = 0; round < 20; round++) {
            // given a claim whose snapshot lags two events behind
            String claim = StoreFixtures.newClaimId();
            appendAll(claim, submission());
            snapshots.catchUp(claim);
            appendAll(claim, 1, assignment(), documentUpload());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> consumers = new ArrayList<>();
            for (int consumer = 0; consumer < 2; consumer++) {
                consumers.add(threads.submit(() -> {
                    start.await();
                    snapshots.catchUp(claim);
                    return null;
                }));
            }

            // when
            start.countDown();
            for (Future<?> consumer : consumers) {
                consumer.get(10, TimeUnit.SECONDS);
            }

            // expect
            assertThat(snapshots.read(claim)).isEqualTo(store.replay(claim));
            assertThat(snapshots.read(claim).orElseThrow().version()).isEqualTo(3);
        }
    }

    @Test
    void anOlderSnapshotIsNeverWrittenOverANewerOne() {
        // given a snapshot at version 2, and a slower consumer that folded only up to version 1
        appendAll(claimId, submission(), assignment());
        ClaimState atVersionOne = store.stateAsOf(claimId, T0).orElseThrow();
        String firstEntryId = entries(ClaimKeys.claimStream(claimId)).get(0).getKey();
        snapshots.catchUp(claimId);

        // when
        boolean written = snapshots.write(claimId, atVersionOne, firstEntryId);

        // expect
        assertThat(written).isFalse();
        assertThat(snapshots.read(claimId)).isEqualTo(store.replay(claimId));
    }

    @Test
    void aGlobalEntryThatIsNotAnEventIsRefusedNamingTheField() {
        // given a foreign producer's entry
        Map<String, String> garbage = Map.of("hello", "world");

        // expect
        assertThatThrownBy(() -> snapshots.onEvent(garbage, "0-1"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("eventId: is missing from the stream entry");
    }

    @Test
    void anEventXaddedToTheGlobalLogAloneIsRefusedAsNotInTheClaimsStream() {
        // given an event written straight to the global log, for a claim that exists and for one that does not
        appendAll(claimId, submission());
        EventEnvelope foreign = eventAt(claimId, T0.plusSeconds(60), assignment());
        EventEnvelope unknownClaim = eventAt(StoreFixtures.newClaimId(), T0, submission());

        // expect
        assertThatThrownBy(() -> snapshots.onEvent(StreamEntryCodec.encode(foreign, 2), "0-1"))
                .isInstanceOf(EventNotInClaimStreamException.class)
                .hasMessageStartingWith("eventId: not in the claim's stream: event " + foreign.eventId());
        assertThatThrownBy(() -> snapshots.onEvent(StreamEntryCodec.encode(unknownClaim, 1), "0-1"))
                .isInstanceOf(EventNotInClaimStreamException.class)
                .hasMessageContaining("not in the claim's stream");
        assertThat(snapshots.read(claimId)).isEmpty();
    }

    @Test
    void anEventWhoseClaimVersionDisagreesWithTheClaimsStreamIsRefused() {
        // given
        EventEnvelope submitted = eventAt(claimId, T0, submission());
        store.append(submitted, 0);

        // expect
        assertThatThrownBy(() -> snapshots.onEvent(StreamEntryCodec.encode(submitted, 5), "0-1"))
                .isInstanceOf(EventNotInClaimStreamException.class)
                .hasMessageStartingWith("claimVersion: not in the claim's stream");
    }

    @Test
    void aForgedEntryWithTheIdsOfThisInstancesOwnAppendDoesNotTakeItsRememberedSnapshot() {
        // given a submission this store appended with its snapshot (remembered for the entry's delivery)
        EventEnvelope submitted = eventAt(claimId, T0, submission());
        ClaimState written = lifecycle.apply(null, submitted, 1);
        store.append(submitted, 0, written);
        var genuine = entries(globalLog).get(0);
        // and a forged entry with its claim, version and event id, but another type, delivered first
        Map<String, String> forged = new java.util.LinkedHashMap<>(genuine.getValue());
        forged.put("eventType", "claim.sla.breached");
        forged.put("data", "{\"adjusterId\":\"ADJ-EVIL\",\"slaDeadline\":\"2026-03-04T09:05:00Z\","
                + "\"breachedAt\":\"2026-03-04T09:06:00Z\"}");
        String forgedId = TestRedis.template().opsForStream().add(globalLog, forged).getValue();

        // expect the forged entry refused with the difference, and the genuine one still handed on
        assertThatThrownBy(() -> snapshots.onEvent(forged, forgedId))
                .isInstanceOf(EventNotInClaimStreamException.class)
                .hasMessageContaining("log entry " + forgedId
                        + " differs from the claim stream's event at version 1: eventType, data");
        assertThat(snapshots.onEvent(genuine.getValue(), genuine.getKey()).state()).isEqualTo(written);
    }

    @Test
    void anAppendGivenTheStateItLeavesStoresThatSnapshotInTheSameStep() {
        // given a claim at version 1 whose snapshot the catch-up wrote
        appendAll(claimId, submission());
        snapshots.catchUp(claimId);
        ClaimState submitted = snapshots.read(claimId).orElseThrow();
        EventEnvelope assigned = eventAt(claimId, T0.plusSeconds(60), assignment());
        ClaimState after = lifecycle.apply(submitted, assigned, 2);

        // when the assignment is appended with the state it leaves (and no catch-up runs)
        AppendResult result = store.append(assigned, 1, after);

        // expect the snapshot to be that state, positioned at the new entry, equal to a full replay
        String entryId = ((AppendResult.Appended) result).claimEntryId();
        assertThat(TestRedis.template().opsForHash().get(ClaimKeys.snapshot(claimId), ClaimSnapshots.STREAM_ENTRY_ID))
                .isEqualTo(entryId);
        assertThat(snapshots.read(claimId)).contains(store.replay(claimId).orElseThrow());
        assertThat(snapshots.read(claimId).orElseThrow().status()).isEqualTo(ClaimStatus.ASSIGNED);
    }

    @Test
    void anAppendThatConflictsLeavesTheSnapshotAlone() {
        // given a claim at version 2 whose snapshot is still at version 1
        appendAll(claimId, submission());
        snapshots.catchUp(claimId);
        appendAll(claimId, 1, assignment());
        ClaimState atOne = snapshots.read(claimId).orElseThrow();
        EventEnvelope upload = eventAt(claimId, T0.plusSeconds(600), documentUpload());

        // when an append decided on version 1 conflicts (its version-2 snapshot would pass the version check)
        AppendResult conflict = store.append(upload, 1, lifecycle.apply(atOne, upload, 2));

        // expect nothing written
        assertThat(conflict).isInstanceOf(AppendResult.VersionConflict.class);
        assertThat(snapshots.read(claimId)).contains(atOne);
    }

    @Test
    void anAppendDoesNotReplaceANewerSnapshot() {
        // given a claim at version 2 whose stored snapshot claims a later version than the next append makes
        appendAll(claimId, submission(), assignment());
        snapshots.catchUp(claimId);
        ClaimState stored = snapshots.read(claimId).orElseThrow();
        TestRedis.template().opsForHash().put(ClaimKeys.snapshot(claimId), "version", "9");
        EventEnvelope upload = eventAt(claimId, T0.plusSeconds(600), documentUpload());

        // when
        AppendResult appended = store.append(upload, 2, lifecycle.apply(stored, upload, 3));

        // expect the event appended but that snapshot not replaced
        assertThat(appended).isInstanceOf(AppendResult.Appended.class);
        assertThat(TestRedis.template().opsForHash().get(ClaimKeys.snapshot(claimId), "version")).isEqualTo("9");
    }

    @Test
    void aSnapshotWrittenWithItsAppendIsNotWrittenAgainByTheCatchUp() throws Exception {
        // given a submission appended with its snapshot (by another hub instance, so this one reads it back)
        EventEnvelope submitted = eventAt(claimId, T0, submission());
        ClaimEventStore otherInstance = new ClaimEventStore(TestRedis.connectionFactory(), globalLog);
        AppendResult.Appended appended = (AppendResult.Appended) otherInstance.append(submitted, 0,
                lifecycle.apply(null, submitted, 1));
        // and a marker the catch-up would wipe if it replaced the hash
        TestRedis.template().opsForHash().put(ClaimKeys.snapshot(claimId), "marker", "kept");

        // when the global log's entry is consumed
        var entry = entries(globalLog).get(0);
        CaughtUpClaim caughtUp = snapshots.onEvent(entry.getValue(), entry.getKey());

        // expect the state handed on, and the stored hash untouched
        assertThat(caughtUp.state()).isEqualTo(store.replay(claimId).orElseThrow());
        assertThat(caughtUp.event().event().eventId()).isEqualTo(submitted.eventId());
        assertThat(TestRedis.template().opsForHash().get(ClaimKeys.snapshot(claimId), "marker")).isEqualTo("kept");
        assertThat(TestRedis.template().opsForHash().get(ClaimKeys.snapshot(claimId), ClaimSnapshots.STREAM_ENTRY_ID))
                .isEqualTo(appended.claimEntryId());
    }

    @Test
    void theDeliveryOfAnEventThisInstanceAppendedWithItsSnapshotIsNotReadBack() throws Exception {
        // given a submission this store appended with its snapshot
        EventEnvelope submitted = eventAt(claimId, T0, submission());
        ClaimState written = lifecycle.apply(null, submitted, 1);
        store.append(submitted, 0, written);
        // and the stored hash altered behind the hub's back, so a read-back would show
        TestRedis.template().opsForHash().put(ClaimKeys.snapshot(claimId), "region", "altered");
        var entry = entries(globalLog).get(0);

        // when the global log's entry is consumed, and then redelivered
        CaughtUpClaim first = snapshots.onEvent(entry.getValue(), entry.getKey());
        CaughtUpClaim redelivered = snapshots.onEvent(entry.getValue(), entry.getKey());

        // expect the state the append wrote handed on without reading Redis, and the redelivery read from Redis
        assertThat(first.state()).isEqualTo(written);
        assertThat(first.event().event().eventId()).isEqualTo(submitted.eventId());
        assertThat(redelivered.state().region()).isEqualTo("altered");
    }

    @Test
    void theDeliveryOfAnEventAnotherInstanceAppendedIsReadFromRedis() throws Exception {
        // given a submission appended with its snapshot by another hub instance, and the stored hash then altered
        EventEnvelope submitted = eventAt(claimId, T0, submission());
        new ClaimEventStore(TestRedis.connectionFactory(), globalLog).append(submitted, 0,
                lifecycle.apply(null, submitted, 1));
        TestRedis.template().opsForHash().put(ClaimKeys.snapshot(claimId), "region", "altered");

        // when this instance consumes the entry
        var entry = entries(globalLog).get(0);
        CaughtUpClaim caughtUp = snapshots.onEvent(entry.getValue(), entry.getKey());

        // expect the snapshot as stored
        assertThat(caughtUp.state().region()).isEqualTo("altered");
    }

    @Test
    void anAppendThatDidNotLandLeavesNothingToTakeFromMemory() throws Exception {
        // given a claim at version 1, and an append decided on version 0 that conflicts
        appendAll(claimId, submission());
        EventEnvelope late = eventAt(claimId, T0.plusSeconds(5), submission());
        assertThat(store.append(late, 0, lifecycle.apply(null, late, 1))).isInstanceOf(AppendResult.VersionConflict.class);

        // expect nothing remembered for it
        assertThat(store.takeSnapshotWrittenWith(claimId, 1, late.eventId().toString(), "0-1")).isEmpty();
    }

    private void appendAll(String claim, ClaimEventData... history) {
        appendAll(claim, 0, history);
    }

    private void appendAll(String claim, int alreadyAppended, ClaimEventData... history) {
        for (int i = 0; i < history.length; i++) {
            long version = alreadyAppended + i;
            AppendResult result = store.append(eventAt(claim, T0.plusSeconds(60L * version), history[i]), version);
            assertThat(result).isInstanceOf(AppendResult.Appended.class);
        }
    }
}
