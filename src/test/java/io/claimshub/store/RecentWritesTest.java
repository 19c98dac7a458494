package io.claimshub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecentWritesTest {

    private static boolean covers(RecentWrites<Boolean> applied, String claimId, long version, String eventId) {
        try {
            return applied.take(claimId, version, eventId).orElse(false);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFinishedWriteIsTakenByItsOwnDeliveryOnce() {
        RecentWrites<Boolean> applied = new RecentWrites<>(10, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "e2").finish(true);

        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isTrue();
        // a redelivery of the same entry is processed in full
        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(applied.size()).isZero();
    }

    @Test
    void aWriteThatDidNotLandLeavesNothing() {
        RecentWrites<Boolean> applied = new RecentWrites<>(10, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "e2").finish(null);

        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(applied.size()).isZero();
    }

    @Test
    void onlyTheSameClaimVersionAndEventIdTakeIt() {
        RecentWrites<Boolean> applied = new RecentWrites<>(10, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "e2").finish(true);

        assertThat(covers(applied, "CLM-BBBBBBBB", 2, "e2")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 1, "e2")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 3, "e2")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "another")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isTrue();
    }

    @Test
    void aLaterEventOfTheSameClaimReplacesTheEarlierOne() {
        RecentWrites<Boolean> applied = new RecentWrites<>(10, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "e2").finish(true);
        applied.begin("CLM-AAAAAAAA", 4, "e4").finish(true);

        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 4, "e4")).isTrue();
    }

    @Test
    void aDeliveryArrivingWhileItsWriterIsStillAtWorkWaitsForItsAnswer() throws Exception {
        RecentWrites<Boolean> applied = new RecentWrites<>(10, 10_000);
        RecentWrites<Boolean>.Write applying = applied.begin("CLM-AAAAAAAA", 2, "e2");
        CompletableFuture<Boolean> delivery = CompletableFuture.supplyAsync(() -> covers(applied, "CLM-AAAAAAAA", 2, "e2"));

        assertThat(delivery).isNotDone();
        applying.finish(true);
        assertThat(delivery.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDeliveryWaitingForAWriterThatFailsGetsNothing() throws Exception {
        RecentWrites<Boolean> applied = new RecentWrites<>(10, 10_000);
        RecentWrites<Boolean>.Write applying = applied.begin("CLM-AAAAAAAA", 2, "e2");
        CompletableFuture<Boolean> delivery = CompletableFuture.supplyAsync(() -> covers(applied, "CLM-AAAAAAAA", 2, "e2"));

        applying.finish(null);
        assertThat(delivery.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void aWriterThatDoesNotAnswerInTimeLeavesTheDeliveryWithNothing() {
        RecentWrites<Boolean> applied = new RecentWrites<>(10, 50);
        applied.begin("CLM-AAAAAAAA", 2, "e2");

        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isFalse();
    }

    @Test
    void beyondItsCapacityTheClaimsAnnouncedLongestAgoAreForgotten() {
        RecentWrites<Boolean> applied = new RecentWrites<>(2, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "a").finish(true);
        applied.begin("CLM-BBBBBBBB", 2, "b").finish(true);
        applied.begin("CLM-CCCCCCCC", 2, "c").finish(true);

        assertThat(applied.size()).isEqualTo(2);
        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "a")).isFalse();
        assertThat(covers(applied, "CLM-BBBBBBBB", 2, "b")).isTrue();
        assertThat(covers(applied, "CLM-CCCCCCCC", 2, "c")).isTrue();
        assertThatThrownBy(() -> new RecentWrites<Boolean>(0, 1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
