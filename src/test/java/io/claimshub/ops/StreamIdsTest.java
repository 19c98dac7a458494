package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class StreamIdsTest {

    @Test
    void idsAreValidatedWithinTheirTwo64BitParts() {
        assertThat(StreamIds.isValid("1767258000000-0")).isTrue();
        assertThat(StreamIds.isValid("18446744073709551615-18446744073709551615")).isTrue();
        assertThat(StreamIds.isValid("18446744073709551616-0")).isFalse();
        assertThat(StreamIds.isValid("12-x")).isFalse();
        assertThat(StreamIds.isValid("12")).isFalse();
        assertThat(StreamIds.isValid("-1-0")).isFalse();
        assertThat(StreamIds.isValid(null)).isFalse();
    }

    @Test
    void idsOrderByTimeThenSequenceAsUnsignedNumbers() {
        assertThat(StreamIds.compare("10-0", "9-5")).isPositive();
        assertThat(StreamIds.compare("9-10", "9-9")).isPositive();
        assertThat(StreamIds.compare("18446744073709551615-0", "1-0")).isPositive();
        assertThat(StreamIds.compare("5-5", "5-5")).isZero();
    }

    @Test
    void theIdBeforeStaysReadableAsSignedLongs() {
        assertThat(StreamIds.before("10-3")).isEqualTo("10-2");
        assertThat(StreamIds.before("10-0")).isEqualTo("9-9223372036854775807");
        assertThat(StreamIds.before("0-0")).isEqualTo("0-0");
        assertThat(StreamIds.firstAt(Instant.ofEpochMilli(1500))).isEqualTo("1500-0");
        assertThat(StreamIds.millis("1500-7")).isEqualTo(1500);
    }
}
