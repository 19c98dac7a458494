package io.claimshub.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AppliedVersionsTest {

    @Test
    void aRecordedEventCoversItsOwnDeliveryOnce() {
        AppliedVersions applied = new AppliedVersions(10);
        applied.record("CLM-AAAAAAAA", 2, "e2");

        assertThat(applied.covers("CLM-AAAAAAAA", 2, "e2")).isTrue();
        // a redelivery of the same entry is processed in full
        assertThat(applied.covers("CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(applied.size()).isZero();
    }

    @Test
    void onlyTheSameClaimVersionAndEventIdAreCovered() {
        AppliedVersions applied = new AppliedVersions(10);
        applied.record("CLM-AAAAAAAA", 2, "e2");

        assertThat(applied.covers("CLM-BBBBBBBB", 2, "e2")).isFalse();
        assertThat(applied.covers("CLM-AAAAAAAA", 1, "e2")).isFalse();
        assertThat(applied.covers("CLM-AAAAAAAA", 3, "e2")).isFalse();
        assertThat(applied.covers("CLM-AAAAAAAA", 2, "another")).isFalse();
        assertThat(applied.covers("CLM-AAAAAAAA", 2, "e2")).isTrue();
    }

    @Test
    void aLaterRecordOfTheSameClaimReplacesTheEarlierOne() {
        AppliedVersions applied = new AppliedVersions(10);
        applied.record("CLM-AAAAAAAA", 2, "e2");
        applied.record("CLM-AAAAAAAA", 4, "e4");

        assertThat(applied.covers("CLM-AAAAAAAA", 2, "e2")).isFalse();
        assertThat(applied.covers("CLM-AAAAAAAA", 4, "e4")).isTrue();
    }

    @Test
    void beyondItsCapacityTheClaimsRecordedLongestAgoAreForgotten() {
        AppliedVersions applied = new AppliedVersions(2);
        applied.record("CLM-AAAAAAAA", 2, "a");
        applied.record("CLM-BBBBBBBB", 2, "b");
        applied.record("CLM-CCCCCCCC", 2, "c");

        assertThat(applied.size()).isEqualTo(2);
        assertThat(applied.covers("CLM-AAAAAAAA", 2, "a")).isFalse();
        assertThat(applied.covers("CLM-BBBBBBBB", 2, "b")).isTrue();
        assertThat(applied.covers("CLM-CCCCCCCC", 2, "c")).isTrue();
        assertThatThrownBy(() -> new AppliedVersions(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
