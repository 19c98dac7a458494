package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.claimshub.config.StreamGroupsHealthCheck;
import io.claimshub.testsupport.TestRedis;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The stream-groups health check against a real stream: a group whose oldest pending entry is older than the limit,
 * or whose lag passes it, is DEGRADED (the check stays UP); acknowledging and catching up makes it OK again.
 */
@org.junit.jupiter.api.Tag("redis")
class StreamGroupsHealthCheckTest {

    private static final StringRedisTemplate REDIS = TestRedis.template();
    private final String stream = TestRedis.uniqueKey("health-events");
    private final StreamMetrics metrics = new StreamMetrics(new StreamInspector(REDIS, 10_000), REDIS, List.of(stream),
            List::of, Tags.empty(), Clock.systemUTC(), Duration.ZERO);
    private final StreamGroupsHealthCheck check = new StreamGroupsHealthCheck(metrics, 3, Duration.ofMinutes(5));

    @AfterEach
    void deleteStream() {
        REDIS.delete(stream);
    }

    @Test
    void anEntryPendingLongerThanTheLimitDegradesItsGroupUntilItIsAcknowledged() {
        // an entry made an hour ago (its id says so), delivered and never acknowledged
        long hourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        REDIS.opsForStream().add(StreamRecords.string(Map.of("f", "v")).withStreamKey(stream)
                .withId(RecordId.of(hourAgo + "-0")));
        REDIS.opsForStream().createGroup(stream, ReadOffset.from("0-0"), "billing");
        List<MapRecord<String, Object, Object>> held = REDIS.opsForStream().read(Consumer.from("billing", "c1"),
                StreamReadOptions.empty().count(10), StreamOffset.create(stream, ReadOffset.lastConsumed()));

        HealthCheck.Result degraded = call();
        assertThat(degraded.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(degraded.getDetails()).containsEntry("status", "DEGRADED")
                .containsEntry(stream + "/billing.status", "DEGRADED")
                .containsEntry(stream + "/billing.pending", 1L);
        assertThat(degraded.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("oldest pending entry"));

        REDIS.opsForStream().acknowledge(stream, "billing", held.get(0).getId());

        HealthCheck.Result recovered = call();
        assertThat(recovered.getDetails()).containsEntry("status", "OK").doesNotContainKey(stream + "/billing.status");
    }

    @Test
    void aLagPastTheLimitDegradesItsGroupUntilItCatchesUp() {
        REDIS.opsForStream().createGroup(stream, ReadOffset.from("0-0"), "reports");
        for (int i = 0; i < 5; i++) {
            REDIS.opsForStream().add(stream, Map.of("n", Integer.toString(i)));
        }

        assertThat(call().getDetails()).containsEntry("status", "DEGRADED").containsEntry(stream + "/reports.lag", 5L);

        List<MapRecord<String, Object, Object>> read = REDIS.opsForStream().read(Consumer.from("reports", "c1"),
                StreamReadOptions.empty().count(10), StreamOffset.create(stream, ReadOffset.lastConsumed()));
        REDIS.opsForStream().acknowledge(stream, "reports", read.stream().map(MapRecord::getId).toArray(RecordId[]::new));

        assertThat(call().getDetails()).containsEntry("status", "OK").containsEntry(stream + "/reports.lag", 0L);
    }

    private HealthCheck.Result call() {
        check.setCamelContext(new DefaultCamelContext());
        return check.call();
    }
}
