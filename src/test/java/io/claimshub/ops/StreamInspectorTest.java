package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.core.StringRedisTemplate;

/** A stream's figures from one script: length, ends, memory, each group's lag (counted or estimated) and pending. */
@Tag("redis")
class StreamInspectorTest {

    private static final StringRedisTemplate REDIS = TestRedis.template();
    private final String stream = TestRedis.uniqueKey("inspected");

    @AfterEach
    void deleteStream() {
        REDIS.delete(stream);
    }

    @Test
    void aMissingKeyIsNoStream() {
        assertThat(new StreamInspector(REDIS, 100).status(stream).exists()).isFalse();
    }

    @Test
    void aBacklogOverTheCountLimitIsEstimatedFromTheIdsTimesAndNeverUnderTheCount() {
        // 100 entries one ms apart; the group has been delivered the first 20
        for (int i = 1; i <= 100; i++) {
            REDIS.opsForStream().add(StreamRecords.string(Map.of("n", "v")).withStreamKey(stream)
                    .withId(RecordId.of((1_000_000L + i) + "-0")));
        }
        REDIS.opsForStream().createGroup(stream, ReadOffset.from("1000020-0"), "late");
        REDIS.opsForStream().createGroup(stream, ReadOffset.from("0-0"), "new");

        StreamStatus exact = new StreamInspector(REDIS, 1000).status(stream);
        assertThat(exact.length()).isEqualTo(100);
        assertThat(exact.firstId()).isEqualTo("1000001-0");
        assertThat(exact.lastId()).isEqualTo("1000100-0");
        assertThat(exact.memoryBytes()).isPositive();
        assertThat(exact.group("late").lag()).isEqualTo(80);
        assertThat(exact.group("new").lag()).isEqualTo(100);

        StreamStatus capped = new StreamInspector(REDIS, 10).status(stream);
        // on Redis 7 XINFO GROUPS answers the lag itself; on 6.2 it is estimated: 80/99 of the span, 81
        assertThat(capped.group("late").lag()).isBetween(80L, 81L);
        assertThat(capped.group("new").lag()).isEqualTo(100);
    }

    @Test
    void aRangeIsCountedAfterItsStartUpToAndWithItsEnd() {
        for (int i = 1; i <= 25; i++) {
            REDIS.opsForStream().add(StreamRecords.string(Map.of("n", "v")).withStreamKey(stream)
                    .withId(RecordId.of(i + "-0")));
        }
        StreamInspector inspector = new StreamInspector(REDIS, 10);
        assertThat(inspector.count(stream, "0-0", "25-0")).isEqualTo(25);
        assertThat(inspector.count(stream, "5-0", "9-0")).isEqualTo(4);
        assertThat(inspector.count(stream, StreamIds.before("3-0"), "3-0")).isEqualTo(1);
    }
}
