package io.claimshub.analytics;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.store.ClaimEventStore;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * Two booted hubs share the analytics group while a scripted lifecycle arrives; one loses Redis and stops abruptly
 * mid-way (its batches in flight neither counted in full nor acknowledged), the other takes its entries over: the
 * records are exactly the script's.
 */
@Tag("redis")
class AnalyticsHubTest {

    private final String stream = TestRedis.uniqueKey("analytics-hub-events");
    private final String namespace = TestRedis.uniqueKey("analytics-hub");

    @AfterEach
    void cleanUp() {
        AnalyticsScenario.deleteAll(namespace + ":*");
    }

    private TestHub hub(String name) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "hub.events.stream", stream,
                "hub.analytics.namespace", namespace,
                "hub.ingest.enabled", "false",
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml"),
                "hub.consumer.name", name,
                "hub.consumer.batch-size", "25",
                "hub.consumer.claim-min-idle", "1000",
                "hub.consumer.claim-interval", "300",
                "camel.main.shutdown-timeout", "2"));
        return TestHub.start(settings);
    }

    @Test
    void twoHubsOneStoppedAbruptlyMidWayCountEveryEventOnce() throws Exception {
        AnalyticsScenario scenario = AnalyticsScenario.generate(11, 200, AnalyticsScenario.recentStart(5), 3);
        String prefix = new AnalyticsKeys(namespace).livePrefix();
        TestHub survivor = null;
        TestHub stopped = hub("hub-a");
        try {
            survivor = hub("hub-b");
            scenario.appendAll(new ClaimEventStore(TestRedis.connectionFactory(), stream));
            await().atMost(Duration.ofSeconds(60)).until(() -> submitted(prefix) >= 20);
            // as a kill -9 would: its Redis connections go, whatever it was doing; nothing more is acknowledged
            stopped.context().getRegistry().findSingleByType(JedisConnectionFactory.class).destroy();
            stopped.close();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> AnalyticsScenario.records(TestRedis.template(), prefix).equals(scenario.expectedNormalised()));
        } finally {
            if (survivor != null) {
                survivor.close();
            }
            TestHub.stop(null, stream);
        }
        assertThat(AnalyticsScenario.records(TestRedis.template(), prefix)).isEqualTo(scenario.expectedNormalised());
    }

    private static long submitted(String prefix) {
        return AnalyticsScenario.records(TestRedis.template(), prefix).entrySet().stream()
                .filter(e -> e.getKey().startsWith("daily:"))
                .mapToLong(e -> e.getValue().getOrDefault("submitted", BigDecimal.ZERO).longValue()).sum();
    }
}
