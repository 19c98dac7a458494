package io.claimshub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentWritesTest {

    private static boolean taken(RecentWrites<Boolean> writes, String claimId, long version, String eventId) {
        return writes.take(claimId, version, eventId).orElse(false);
    }

    @Test
    void aFinishedWriteIsTakenByItsOwnDeliveryOnce() {
        RecentWrites<Boolean> writes = new RecentWrites<>(10, 1000, 60_000);
        writes.begin("CLM-AAAAAAAA", 2, "e2").finish(true);

        assertThat(taken(writes, "CLM-AAAAAAAA", 2, "e2")).isTrue();
        // a redelivery of the same entry reads Redis
        assertThat(taken(writes, "CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(writes.size()).isZero();
    }

    @Test
    void aWriteThatDidNotLandLeavesNothing() {
        RecentWrites<Boolean> writes = new RecentWrites<>(10, 1000, 60_000);
        writes.begin("CLM-AAAAAAAA", 2, "e2").finish(null);

        assertThat(taken(writes, "CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(writes.size()).isZero();
    }

    @Test
    void onlyTheSameClaimVersionAndEventIdTakeIt() {
        RecentWrites<Boolean> writes = new RecentWrites<>(10, 1000, 60_000);
        writes.begin("CLM-AAAAAAAA", 2, "e2").finish(true);

        assertThat(taken(writes, "CLM-BBBBBBBB", 2, "e2")).isFalse();
        assertThat(taken(writes, "CLM-AAAAAAAA", 1, "e2")).isFalse();
        assertThat(taken(writes, "CLM-AAAAAAAA", 3, "e2")).isFalse();
        assertThat(taken(writes, "CLM-AAAAAAAA", 2, "another")).isFalse();
        assertThat(taken(writes, "CLM-AAAAAAAA", 2, "e2")).isTrue();
    }

    @Test
    void aFailedWriteOfTheSameClaimLeavesAnotherEventsRecordAlone() {
        // given a pushed event's record waiting, and an assignment decided on a stale state that conflicts
        RecentWrites<Boolean> writes = new RecentWrites<>(10, 1000, 60_000);
        writes.begin("CLM-AAAAAAAA", 3, "pushed").finish(true);
        writes.begin("CLM-AAAAAAAA", 3, "assignment").finish(null);

        assertThat(taken(writes, "CLM-AAAAAAAA", 3, "pushed")).isTrue();
    }

    @Test
    void aDeliveryArrivingWhileItsWriterIsStillAtWorkWaitsForItsAnswer() throws Exception {
        RecentWrites<Boolean> writes = new RecentWrites<>(10, 10_000, 60_000);
        RecentWrites<Boolean>.Write write = writes.begin("CLM-AAAAAAAA", 2, "e2");
        CompletableFuture<Boolean> delivery = CompletableFuture.supplyAsync(() -> taken(writes, "CLM-AAAAAAAA", 2, "e2"));

        // still waiting while the writer has not answered
        assertThatThrownBy(() -> delivery.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        write.finish(true);
        assertThat(delivery.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDeliveryWaitingForAWriterThatFailsGetsNothing() throws Exception {
        RecentWrites<Boolean> writes = new RecentWrites<>(10, 10_000, 60_000);
        RecentWrites<Boolean>.Write write = writes.begin("CLM-AAAAAAAA", 2, "e2");
        CompletableFuture<Boolean> delivery = CompletableFuture.supplyAsync(() -> taken(writes, "CLM-AAAAAAAA", 2, "e2"));

        write.finish(null);
        assertThat(delivery.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void aWriterThatDoesNotAnswerInTimeLeavesTheDeliveryWithNothing() {
        RecentWrites<Boolean> writes = new RecentWrites<>(10, 50, 60_000);
        writes.begin("CLM-AAAAAAAA", 2, "e2");

        assertThat(taken(writes, "CLM-AAAAAAAA", 2, "e2")).isFalse();
    }

    @Test
    void anInterruptedWaitGivesNothingAndKeepsTheInterrupt() throws Exception {
        RecentWrites<Boolean> writes = new RecentWrites<>(10, 10_000, 60_000);
        writes.begin("CLM-AAAAAAAA", 2, "e2");
        CompletableFuture<String> delivery = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            Thread.currentThread().interrupt(); // as on shutdown
            boolean taken = writes.take("CLM-AAAAAAAA", 2, "e2").isPresent();
            delivery.complete(taken + " " + Thread.currentThread().isInterrupted());
        });
        consumer.start();

        assertThat(delivery.get(10, TimeUnit.SECONDS)).isEqualTo("false true");
    }

    @Test
    void whenFullNewWritesAreNotRecordedSoTheWaitingOnesAreKept() {
        RecentWrites<Boolean> writes = new RecentWrites<>(2, 1000, 60_000);
        writes.begin("CLM-AAAAAAAA", 2, "a").finish(true);
        writes.begin("CLM-BBBBBBBB", 2, "b").finish(true);
        RecentWrites<Boolean>.Write unrecorded = writes.begin("CLM-CCCCCCCC", 2, "c");
        unrecorded.finish(true); // the writer still finishes it

        assertThat(writes.size()).isEqualTo(2);
        assertThat(taken(writes, "CLM-AAAAAAAA", 2, "a")).isTrue();
        assertThat(taken(writes, "CLM-BBBBBBBB", 2, "b")).isTrue();
        assertThat(taken(writes, "CLM-CCCCCCCC", 2, "c")).isFalse();
        assertThatThrownBy(() -> new RecentWrites<Boolean>(0, 1000, 60_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsNotTakenWithinTheirMaximumAgeAreDropped() {
        // given a record whose delivery went elsewhere (another instance), with time under the test's control
        AtomicLong now = new AtomicLong();
        RecentWrites<Boolean> writes = new RecentWrites<>(10, 1000, 60_000, now::get);
        writes.begin("CLM-AAAAAAAA", 2, "elsewhere").finish(true);

        // when a minute and a moment later another claim is written
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        writes.begin("CLM-BBBBBBBB", 2, "b").finish(true);

        // expect the old record gone, the new one kept
        assertThat(writes.size()).isEqualTo(1);
        assertThat(taken(writes, "CLM-AAAAAAAA", 2, "elsewhere")).isFalse();
        assertThat(taken(writes, "CLM-BBBBBBBB", 2, "b")).isTrue();
    }
}
