package io.claimshub.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AppliedVersionsTest {

    private static boolean covers(AppliedVersions applied, String claimId, long version, String eventId) {
        try {
            return applied.covers(claimId, version, eventId);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anEventAppliedInFullCoversItsOwnDeliveryOnce() {
        AppliedVersions applied = new AppliedVersions(10, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "e2").finish(true);

        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isTrue();
        // a redelivery of the same entry is processed in full
        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(applied.size()).isZero();
    }

    @Test
    void anEventItsWriterDidNotApplyInFullCoversNothing() {
        AppliedVersions applied = new AppliedVersions(10, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "e2").finish(false);

        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(applied.size()).isZero();
    }

    @Test
    void onlyTheSameClaimVersionAndEventIdAreCovered() {
        AppliedVersions applied = new AppliedVersions(10, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "e2").finish(true);

        assertThat(covers(applied, "CLM-BBBBBBBB", 2, "e2")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 1, "e2")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 3, "e2")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "another")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isTrue();
    }

    @Test
    void aLaterEventOfTheSameClaimReplacesTheEarlierOne() {
        AppliedVersions applied = new AppliedVersions(10, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "e2").finish(true);
        applied.begin("CLM-AAAAAAAA", 4, "e4").finish(true);

        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(covers(applied, "CLM-AAAAAAAA", 4, "e4")).isTrue();
    }

    @Test
    void aDeliveryArrivingWhileItsWriterIsStillAtWorkWaitsForItsAnswer() throws Exception {
        AppliedVersions applied = new AppliedVersions(10, 10_000);
        AppliedVersions.Applying applying = applied.begin("CLM-AAAAAAAA", 2, "e2");
        CompletableFuture<Boolean> delivery = CompletableFuture.supplyAsync(() -> covers(applied, "CLM-AAAAAAAA", 2, "e2"));

        assertThat(delivery).isNotDone();
        applying.finish(true);
        assertThat(delivery.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDeliveryWaitingForAWriterThatFailsIsProcessedInFull() throws Exception {
        AppliedVersions applied = new AppliedVersions(10, 10_000);
        AppliedVersions.Applying applying = applied.begin("CLM-AAAAAAAA", 2, "e2");
        CompletableFuture<Boolean> delivery = CompletableFuture.supplyAsync(() -> covers(applied, "CLM-AAAAAAAA", 2, "e2"));

        applying.finish(false);
        assertThat(delivery.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void aWriterThatDoesNotAnswerInTimeLeavesTheDeliveryToBeProcessedInFull() {
        AppliedVersions applied = new AppliedVersions(10, 50);
        applied.begin("CLM-AAAAAAAA", 2, "e2");

        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "e2")).isFalse();
    }

    @Test
    void beyondItsCapacityTheClaimsAnnouncedLongestAgoAreForgotten() {
        AppliedVersions applied = new AppliedVersions(2, 1000);
        applied.begin("CLM-AAAAAAAA", 2, "a").finish(true);
        applied.begin("CLM-BBBBBBBB", 2, "b").finish(true);
        applied.begin("CLM-CCCCCCCC", 2, "c").finish(true);

        assertThat(applied.size()).isEqualTo(2);
        assertThat(covers(applied, "CLM-AAAAAAAA", 2, "a")).isFalse();
        assertThat(covers(applied, "CLM-BBBBBBBB", 2, "b")).isTrue();
        assertThat(covers(applied, "CLM-CCCCCCCC", 2, "c")).isTrue();
        assertThatThrownBy(() -> new AppliedVersions(0, 1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
