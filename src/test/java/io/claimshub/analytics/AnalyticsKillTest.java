package io.claimshub.analytics;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.store.ClaimEventStore;
import io.claimshub.testsupport.ForkedHub;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9}: a hub in its own JVM shares the analytics group with another while a scripted lifecycle
 * arrives, and is killed (SIGKILL) while it counts; the other takes its pending entries over. The records are exactly
 * the script's: nothing the killed hub had half-counted is counted twice or lost.
 *
 * <p>Not tagged {@code redis} (CI does not repeat it against Redis 7): it is about a process dying; the scripts it
 * runs are the ones the tagged analytics tests run against both servers.
 */
class AnalyticsKillTest {

    private final String stream = TestRedis.uniqueKey("analytics-kill-events");
    private final String namespace = TestRedis.uniqueKey("analytics-kill");

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() {
        AnalyticsScenario.deleteAll(namespace + ":*");
    }

    @Test
    void aHubKilledWithSigkillWhileCountingLeavesEveryEventCountedOnce() throws Exception {
        AnalyticsScenario scenario = AnalyticsScenario.generate(13, 200, AnalyticsScenario.recentStart(5), 3);
        String prefix = new AnalyticsKeys(namespace).livePrefix();
        TestHub survivor = null;
        try (ForkedHub killed = ForkedHub.start(settings("hub-killed"), dir.resolve("killed"))) {
            survivor = TestHub.start(settings("hub-survivor"));
            scenario.appendAll(new ClaimEventStore(TestRedis.connectionFactory(), stream));
            await().atMost(Duration.ofSeconds(60)).until(() -> submitted(prefix) >= 20);
            killed.kill(); // SIGKILL, in the middle of whatever batch it was counting
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

    private Map<String, String> settings(String consumerName) {
        return new HashMap<>(Map.of(
                "hub.events.stream", stream,
                "hub.analytics.namespace", namespace,
                "hub.ingest.enabled", "false",
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml"),
                "hub.consumer.name", consumerName,
                "hub.consumer.batch-size", "25",
                "hub.consumer.claim-min-idle", "1000",
                "hub.consumer.claim-interval", "300"));
    }

    private static long submitted(String prefix) {
        return AnalyticsScenario.records(TestRedis.template(), prefix).entrySet().stream()
                .filter(e -> e.getKey().startsWith("daily:"))
                .mapToLong(e -> e.getValue().getOrDefault("submitted", BigDecimal.ZERO).longValue()).sum();
    }
}
