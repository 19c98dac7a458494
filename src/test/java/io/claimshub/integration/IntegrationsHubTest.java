package io.claimshub.integration;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.component.redisstreams.RedisStreamsEntry;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.StreamInfo;

/**
 * The booted hub's integrations group against a real PostgreSQL: claims going through their lifecycles while the hub
 * runs end in the claims table equal to their snapshots, with one claim_events row per event, and their
 * claim.submitted and claim.approved log entries are handed, fields verbatim, to the policy-check and payment work
 * streams.
 */
@Tag("redis")
class IntegrationsHubTest {

    private final String log = TestRedis.uniqueKey("integrations-hub-log");
    private final String namespace = TestRedis.uniqueKey("integrations");
    private final IntegrationKeys keys = new IntegrationKeys(namespace);
    private LegacyDatabase database;
    private TestHub hub;

    @BeforeEach
    void start() throws Exception {
        database = LegacyDatabase.postgres();
        hub = TestHub.start(Map.of(
                "hub.events.stream", log,
                "hub.integrations.namespace", namespace,
                "hub.claims-table.jdbc-url", database.url(),
                "hub.claims-table.user", database.user(),
                "hub.consumer.block", "200",
                // its one adjuster is eligible for no claim here: the test's lifecycles are the only events
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml")));
    }

    @AfterEach
    void stop() throws Exception {
        TestHub.stop(hub, log);
        database.close();
        TestRedis.template().delete(List.of(keys.policyChecks(), keys.payments()));
    }

    @Test
    void theIntegrationsGroupKeepsTheClaimsTableInSyncAndHandsEntriesToTheWorkStreams() throws Exception {
        ClaimLifecycles lifecycles = new ClaimLifecycles(TestRedis.connectionFactory(), log);

        List<String> claimIds = lifecycles.make(60, 5, 2);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(ClaimsTableCheck.claimsDifferences(database.dataSource(), claimIds)).isEmpty();
            assertThat(ClaimsTableCheck.eventDifferences(database.dataSource(), claimIds)).isEmpty();
        });
        List<RedisStreamsEntry> logEntries = ClaimLifecycles.readLog(log);
        List<Map<String, String>> submitted = fieldsOf(logEntries, "claim.submitted");
        List<Map<String, String>> approved = fieldsOf(logEntries, "claim.approved");
        assertThat(approved).isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            // test hubs run with the policy check off (TestHub; the lifecycles' policies are in no policy database),
            // so no submission is handed to it; ClaimsTableSyncTest shows the hand-off with the check on
            assertThat(ClaimLifecycles.readLog(keys.policyChecks())).isEmpty();
            assertThat(submitted).isNotEmpty();
            assertThat(ClaimLifecycles.readLog(keys.payments()).stream().map(RedisStreamsEntry::fields).toList())
                    .containsExactlyInAnyOrderElementsOf(approved);
        });
        // the group is on the log beside the others, with nothing left pending
        StreamInfo.XInfoGroups groups = TestRedis.template().opsForStream().groups(log);
        assertThat(groups.stream().map(StreamInfo.XInfoGroup::groupName))
                .contains("processors", "analytics", "notifications", "integrations");
        await().atMost(Duration.ofSeconds(10)).until(() -> TestRedis.template().opsForStream().groups(log).stream()
                .filter(g -> g.groupName().equals("integrations")).findFirst().orElseThrow().pendingCount() == 0);
        // and its writes are counted on /observe/metrics
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(hub.managementBase() + "/observe/metrics")).header("X-API-Key", TestHub.API_KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics.lines().filter(l -> l.startsWith("claimshub_claims_table_rows_written_total{")))
                .anyMatch(l -> l.contains("table=\"claims\"")).anyMatch(l -> l.contains("table=\"claim_events\""));
        assertThat(metrics).contains("claimshub_claims_table_write_seconds_count");
    }

    private static List<Map<String, String>> fieldsOf(List<RedisStreamsEntry> entries, String eventType) {
        return entries.stream().filter(e -> eventType.equals(e.fields().get("eventType")))
                .map(RedisStreamsEntry::fields).toList();
    }
}
