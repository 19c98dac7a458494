package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The booted hub's stream figures on {@code /observe/metrics} and its {@code stream-groups} health: a burst with one
 * group stopped (a group added while the hub runs, whose only reader took a few entries and stopped) shows the lag and
 * pending counts XINFO and XRANGE give, the health check names the group DEGRADED while the hub stays UP, and recovers once the group
 * has caught up; every metric the alert rules use is exported.
 */
@Tag("redis")
class StreamMetricsHubTest {

    private static final String STREAM = TestRedis.uniqueKey("metrics-events");
    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BURST = 120;
    private static final int HELD = 5;
    private static final String STOPPED = "reporting";
    private static TestHub hub;

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "metrics-test",
                "hub.consumer.block", "200",
                "hub.ingest.enabled", "false",
                "hub.metrics.refresh-interval", "200",
                "hub.health.group-max-lag", "50",
                "hub.health.group-max-pending-age", "3600000"));
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
    }

    @Test
    void lagAndPendingMatchXinfoAfterABurstWithOneGroupStoppedAndHealthDegradesAndRecovers() throws Exception {
        await().atMost(WAIT).until(() -> groupNames().containsAll(Set.of("processors", "analytics", "notifications")));
        // a group added while the hub runs, whose reader stops after taking a few entries it never acknowledges
        REDIS.opsForStream().createGroup(STREAM, ReadOffset.from("0-0"), STOPPED);
        for (int i = 0; i < BURST; i++) {
            REDIS.opsForStream().add(STREAM, Map.of("junk", "entry " + i));
        }
        List<MapRecord<String, Object, Object>> held = REDIS.opsForStream().read(Consumer.from(STOPPED, "stuck"),
                StreamReadOptions.empty().count(HELD), StreamOffset.create(STREAM, ReadOffset.lastConsumed()));
        assertThat(held).hasSize(HELD);

        // the running groups catch up (the junk is dead-lettered by the processors); the stopped one does not
        await().atMost(WAIT).until(() -> lagOf("processors") == 0 && pendingOf("processors") == 0
                && lagOf("notifications") == 0 && pendingOf("notifications") == 0);
        long stoppedLag = lagOf(STOPPED);
        assertThat(stoppedLag).isEqualTo(BURST - HELD);
        assertThat(pendingOf(STOPPED)).isEqualTo(HELD);

        await().atMost(WAIT).untilAsserted(() -> {
            MetricsScrape scrape = MetricsScrape.of(hub.managementBase());
            Map<String, String> g = Map.of("stream", STREAM, "group", STOPPED);
            assertThat(scrape.value("claimshub_stream_group_lag", g)).hasValue(stoppedLag);
            assertThat(scrape.value("claimshub_stream_group_pending", g)).hasValue(HELD);
            assertThat(scrape.value("claimshub_stream_group_lag", Map.of("stream", STREAM, "group", "processors")))
                    .hasValue(0);
            assertThat(scrape.value("claimshub_stream_consumer_pending",
                    Map.of("stream", STREAM, "group", STOPPED, "consumer", "stuck"))).hasValue(HELD);
            assertThat(scrape.value("claimshub_stream_group_consumers", g).orElseThrow())
                    .isEqualTo((double) REDIS.opsForStream().consumers(STREAM, STOPPED).size());
            assertThat(scrape.value("claimshub_stream_length", Map.of("stream", STREAM))).hasValue(BURST);
            assertThat(scrape.value("claimshub_stream_group_oldest_pending_age_seconds", g).orElseThrow())
                    .isGreaterThanOrEqualTo(0);
            // the dead-lettered junk: the dead-letter stream's length and the route's counter
            assertThat(scrape.value("claimshub_stream_length", Map.of("stream", STREAM + ":dlq")).orElseThrow())
                    .isEqualTo((double) REDIS.opsForStream().size(STREAM + ":dlq"));
            assertThat(scrape.sum("claimshub_stream_entries_dead_lettered_total",
                    Map.of("stream", STREAM, "group", "processors", "reason", "invalid-event"))).isEqualTo(BURST);
            assertThat(scrape.sum("claimshub_stream_entries_delivered_total", Map.of("stream", STREAM,
                    "group", "notifications"))).isGreaterThanOrEqualTo(BURST);
            assertThat(scrape.sum("claimshub_stream_entries_acknowledged_total", Map.of("stream", STREAM,
                    "group", "notifications"))).isGreaterThanOrEqualTo(BURST);
        });

        // the lag passes the threshold of 50: DEGRADED, naming the group, while the hub stays UP
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> health = health();
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode body = EventJson.mapper().readTree(health.body());
            assertThat(body.get("status").asText()).isEqualTo("UP");
            JsonNode check = check(body, "stream-groups");
            assertThat(check.get("data").get("status").asText()).isEqualTo("DEGRADED");
            assertThat(check.get("data").get(STREAM + "/" + STOPPED + ".status").asText())
                    .isEqualTo("DEGRADED");
            assertThat(check.get("data").get(STREAM + "/" + STOPPED + ".lag").asLong()).isEqualTo(stoppedLag);
            assertThat(check.get("data").has(STREAM + "/processors.status")).isFalse();
            assertThat(check.get("message").asText())
                    .contains("group " + STOPPED + " of " + STREAM, "lag " + stoppedLag + " > 50");
        });

        // the group reads on to the end and acknowledges everything: the figures and the health recover
        List<MapRecord<String, Object, Object>> rest = REDIS.opsForStream().read(Consumer.from(STOPPED, "stuck"),
                StreamReadOptions.empty().count(BURST), StreamOffset.create(STREAM, ReadOffset.lastConsumed()));
        assertThat(rest).hasSize(BURST - HELD);
        for (List<MapRecord<String, Object, Object>> entries : List.of(held, rest)) {
            REDIS.opsForStream().acknowledge(STREAM, STOPPED, entries.stream().map(MapRecord::getId).toArray(
                    org.springframework.data.redis.connection.stream.RecordId[]::new));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode check = check(EventJson.mapper().readTree(health().body()), "stream-groups");
            assertThat(check.get("data").get("status").asText()).isEqualTo("OK");
            MetricsScrape scrape = MetricsScrape.of(hub.managementBase());
            Map<String, String> g = Map.of("stream", STREAM, "group", STOPPED);
            assertThat(scrape.value("claimshub_stream_group_lag", g)).hasValue(0);
            assertThat(scrape.value("claimshub_stream_group_pending", g)).hasValue(0);
        });
    }

    @Test
    void routesReportLatencyBucketsAndFailures() throws Exception {
        MetricsScrape scrape = MetricsScrape.of(hub.managementBase());
        assertThat(scrape.value("camel_route_policy_seconds_bucket", Map.of("routeId", "processors", "le", "0.005")))
                .isPresent();
        assertThat(scrape.value("camel_exchanges_failed_total", Map.of("routeId", "processors"))).isPresent();
    }

    @Test
    void everyMetricTheAlertRulesUseIsExported() throws Exception {
        String rules = Files.readString(Path.of("docker/prometheus/alerts.yml"));
        Set<String> used = new TreeSet<>();
        Matcher names = Pattern.compile("\\b((?:claimshub|camel)_[a-z_]+)\\b").matcher(rules);
        while (names.find()) {
            used.add(names.group(1));
        }
        assertThat(used).contains("claimshub_stream_group_lag", "claimshub_redis_memory_used_bytes");
        await().atMost(WAIT).untilAsserted(() -> {
            // a dead letter makes the route's counter appear as well
            assertThat(MetricsScrape.of(hub.managementBase()).names()).containsAll(used);
        });
    }

    private static HttpResponse<String> health() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.managementBase() + "/observe/health?data=true")).header("X-API-Key", TestHub.API_KEY)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    private static Set<String> groupNames() {
        Set<String> names = new TreeSet<>();
        REDIS.opsForStream().groups(STREAM).forEach(g -> names.add(g.groupName()));
        return names;
    }

    private static StreamInfo.XInfoGroup group(String name) {
        return REDIS.opsForStream().groups(STREAM).stream().filter(g -> g.groupName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static long pendingOf(String name) {
        return group(name).pendingCount();
    }

    /** The group's lag as Redis 7 reports it, else counted: the entries after its last-delivered id. */
    private static long lagOf(String name) {
        StreamInfo.XInfoGroup group = group(name);
        Object lag = group.getRaw().get("lag");
        if (lag instanceof Number number) {
            return number.longValue();
        }
        return REDIS.opsForStream().range(STREAM, org.springframework.data.domain.Range.leftOpen(
                group.lastDeliveredId(), "+")).size();
    }
}
