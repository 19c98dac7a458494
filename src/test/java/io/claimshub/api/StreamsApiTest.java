package io.claimshub.api;

import static io.claimshub.api.ClaimsApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.ops.LogRetention;
import io.claimshub.ops.OpsKeys;
import io.claimshub.testsupport.GroupDeliveries;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The log's streams on the booted hub: after a retention run, {@code GET /api/ops/streams} shows what is left and the
 * archived ranges, and {@code POST /api/ops/replays} re-reads an archived range into one group (the others see
 * nothing again).
 */
@Tag("redis")
class StreamsApiTest {

    private static final String STREAM = TestRedis.uniqueKey("streams-api-events");
    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int OLD = 20;

    @TempDir
    static Path archiveDir;

    private static TestHub hub;
    /** What the analytics and notifications groups' steps were handed (a step woven into each). */
    private static GroupDeliveries deliveries;
    private static ClaimsApiClient api;
    private static final List<String> OLD_IDS = new ArrayList<>();

    @BeforeAll
    static void bootHubOnALogWithOldEntries() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "streams-api-test",
                "hub.consumer.block", "200",
                "hub.consumer.background-read-delay", "0",
                "hub.archive.dir", archiveDir.toString(),
                "hub.archive.period", "day",
                "hub.ingest.enabled", "false"));
        api = new ClaimsApiClient(hub.apiBase());
        deliveries = GroupDeliveries.watch(hub.context(), "analytics", "notifications");
        // the old entries go on the log once the groups' deliveries are watched (the stream is new: any id is accepted)
        long tenDaysAgo = System.currentTimeMillis() - Duration.ofDays(10).toMillis();
        for (int i = 0; i < OLD; i++) {
            String id = tenDaysAgo + i * 1000L + "-0";
            REDIS.opsForStream().add(StreamRecords.newRecord().in(STREAM).withId(id).ofMap(Map.of("note", "old " + i)));
            OLD_IDS.add(id);
        }
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
        REDIS.delete(List.of(OpsKeys.replays(STREAM)));
    }

    @Test
    void aTrimmedRangeIsListedAndCanBeReReadIntoOneGroup() throws Exception {
        // given every group has consumed the old entries (the processors dead-letter them: they are no claim events)
        await().atMost(WAIT).until(() -> seen().seenBy("analytics").keySet().containsAll(OLD_IDS)
                && seen().seenBy("notifications").keySet().containsAll(OLD_IDS) && allAcknowledged());
        String recent = REDIS.opsForStream().add(STREAM, Map.of("note", "recent")).getValue();
        await().atMost(WAIT).until(StreamsApiTest::allAcknowledged);

        // when the retention runs
        LogRetention.Outcome outcome = hub.context().getRegistry().lookupByNameAndType("logRetention", LogRetention.class)
                .run().get(0);
        assertThat(outcome.trimmed()).isEqualTo(OLD);

        // expect the stream and its archive listed
        HttpResponse<String> streams = api.get("/api/ops/streams");
        assertThat(streams.statusCode()).isEqualTo(200);
        JsonNode log = json(streams).get("streams").get(0);
        assertThat(log.get("stream").asText()).isEqualTo(STREAM);
        assertThat(log.get("length").asLong()).isEqualTo(1);
        assertThat(log.get("oldest").get("id").asText()).isEqualTo(recent);
        assertThat(log.get("newest").get("id").asText()).isEqualTo(recent);
        assertThat(log.get("retentionDays").asInt()).isEqualTo(7);
        assertThat(log.get("archived").get("entries").asLong()).isEqualTo(OLD);
        assertThat(log.get("archived").get("ranges").get(0).get("firstId").asText()).isEqualTo(OLD_IDS.get(0));
        assertThat(log.get("archived").get("ranges").get(0).get("lastId").asText()).isEqualTo(OLD_IDS.get(OLD - 1));
        assertThat(json(streams).get("claimStreams").get("retention").asText()).isEqualTo("keep");

        // when the first five archived entries are re-read into the analytics group
        String from = Instant.ofEpochMilli(Long.parseLong(OLD_IDS.get(0).split("-")[0])).toString();
        HttpResponse<String> replay = api.post("/api/ops/replays", "{\"group\":\"analytics\",\"from\":\"" + from
                + "\",\"to\":\"" + OLD_IDS.get(4) + "\",\"reason\":\"try the new counters\"}", "X-Operator", "ops-carol");

        // expect analytics to see exactly those again, under their own ids, and no other group
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(json(replay).get("fromArchive").asLong()).isEqualTo(5);
        assertThat(json(replay).get("fromLog").asLong()).isZero();
        await().atMost(WAIT).until(() -> OLD_IDS.subList(0, 5).stream()
                .allMatch(id -> seen().seenBy("analytics").get(id) == 2));
        await().atMost(WAIT).until(StreamsApiTest::allAcknowledged);
        assertThat(OLD_IDS.subList(5, OLD)).allMatch(id -> seen().seenBy("analytics").get(id) == 1);
        assertThat(OLD_IDS).allMatch(id -> seen().seenBy("notifications").get(id) == 1);
    }

    @Test
    void aReplayRangeNamesItsBadFields() throws Exception {
        HttpResponse<String> response = api.post("/api/ops/replays", "{\"group\":\"analytics\",\"from\":\"yesterday\"}",
                "X-Operator", "ops");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("errors").findValuesAsText("field")).contains("from", "to");
        assertThat(api.post("/api/ops/replays", "{\"group\":\"analytics\",\"from\":\"1\",\"to\":\"2\"}").statusCode())
                .isEqualTo(400);
    }

    private static boolean allAcknowledged() {
        return List.of(STREAM, OpsKeys.replays(STREAM)).stream().allMatch(stream -> {
            var groups = REDIS.opsForStream().groups(stream);
            var last = REDIS.opsForStream().info(stream).lastGeneratedId();
            return groups.stream().allMatch(g -> g.pendingCount() == 0 && g.lastDeliveredId().equals(last));
        });
    }

    private static GroupDeliveries seen() {
        return deliveries;
    }
}
