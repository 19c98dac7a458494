package io.claimshub.ops;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.claimshub.component.redisstreams.RedisStreamsEndpoint;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The booted hub applies the dead-letter limits to both writers of dead letters: the groups' consumers (an entry
 * delivered too often) and the dead-letter route (an event the route's error handler gave up on).
 */
@Tag("redis")
class DeadLetterLimitsHubTest {

    @Test
    void everyDeadLetterWriterHasTheConfiguredLengthAndEntryCap() throws Exception {
        String stream = TestRedis.uniqueKey("limits-events");
        try (TestHub hub = TestHub.start(Map.of(
                "hub.events.stream", stream,
                "hub.dead-letter.max-entries", "777",
                "hub.dead-letter.max-entry-bytes", "5000",
                "hub.ingest.enabled", "false",
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml")))) {
            List<RedisStreamsEndpoint> endpoints = hub.context().getEndpoints().stream()
                    .filter(RedisStreamsEndpoint.class::isInstance).map(RedisStreamsEndpoint.class::cast).toList();
            List<RedisStreamsEndpoint> consumers = endpoints.stream()
                    .filter(e -> e.getConfiguration().getGroup() != null).toList();
            assertThat(consumers).extracting(e -> e.getConfiguration().getGroup())
                    .contains("processors", "analytics", "notifications");
            assertThat(consumers).allSatisfy(e -> {
                assertThat(e.getConfiguration().getDeadLetterMaxLen()).isEqualTo(777);
                assertThat(e.getConfiguration().getDeadLetterMaxEntryBytes()).isEqualTo(5000);
            });
            assertThat(endpoints).filteredOn(e -> e.getConfiguration().getStreamKey().equals(stream + ":dlq"))
                    .singleElement().satisfies(e -> assertThat(e.getConfiguration().getMaxLen()).isEqualTo(777));
        }
    }
}
