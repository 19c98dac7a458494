package io.claimshub.api;

import static io.claimshub.api.ClaimsApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.ops.OpsKeys;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@code POST /api/ops/groups/{group}/position} on the booted hub: a group of the claim log (one nobody reads, so its
 * position is the test's to set) that has acknowledged the first 6 of 10 entries made a second apart is moved back by
 * time and forward by entry id, with dry runs that say how many entries would be delivered again or skipped, the
 * refusal to skip unless forced, and every move in the audit stream.
 */
@Tag("redis")
class OpsGroupsApiTest {

    private static final String STREAM = TestRedis.uniqueKey("ops-groups-events");
    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final long T0 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    private static TestHub hub;
    private static ClaimsApiClient api;

    private String group;
    private final List<String> ids = new ArrayList<>();

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "ops-groups-test",
                "hub.ingest.enabled", "false"));
        api = new ClaimsApiClient(hub.apiBase());
        // ten entries, one a second from T0 (explicit ids), as old junk the hub's own groups dead-letter
        for (int i = 0; i < 10; i++) {
            REDIS.opsForStream().add(StreamRecords.string(Map.of("junk", "entry " + i)).withStreamKey(STREAM)
                    .withId(RecordId.of((T0 + i * 1000L) + "-0")));
        }
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
    }

    /** A fresh group that has been delivered and has acknowledged the first six entries. */
    @BeforeEach
    void groupThatAcknowledgedSix() {
        group = "replay-" + ids.size() + "-" + System.nanoTime();
        REDIS.opsForStream().createGroup(STREAM, ReadOffset.from("0-0"), group);
        List<MapRecord<String, Object, Object>> read = REDIS.opsForStream().read(Consumer.from(group, "worker"),
                StreamReadOptions.empty().count(6), StreamOffset.create(STREAM, ReadOffset.lastConsumed()));
        read.forEach(r -> ids.add(r.getId().getValue()));
        REDIS.opsForStream().acknowledge(STREAM, group, read.stream().map(MapRecord::getId).toArray(RecordId[]::new));
        assertThat(lastDelivered()).isEqualTo(id(5));
    }

    @Test
    void aDryRunByTimeSaysHowManyEntriesWouldBeDeliveredAgainAndMovesNothing() throws Exception {
        HttpResponse<String> response = move("""
                {"time": "2026-03-02T09:00:02.500Z", "dryRun": true}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json(response);
        // the entries at 09:00:03, :04 and :05 come again
        assertThat(answer.get("redelivered").asLong()).isEqualTo(3);
        assertThat(answer.get("skipped").asLong()).isZero();
        assertThat(answer.get("applied").asBoolean()).isFalse();
        assertThat(answer.get("previousPosition").asText()).isEqualTo(id(5));
        assertThat(lastDelivered()).isEqualTo(id(5));
    }

    @Test
    void aMoveBackByTimeRedeliversFromThatTimeAndIsAudited() throws Exception {
        String before = lastAuditId();

        HttpResponse<String> response = move("""
                {"time": "2026-03-02T09:00:02Z", "reason": "reprocess after the rules fix"}""",
                "X-Operator", "ops-alice");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get("applied").asBoolean()).isTrue();
        assertThat(answer.get("redelivered").asLong()).isEqualTo(4);
        // the group's next read starts with the entry made at 09:00:02
        List<MapRecord<String, Object, Object>> next = REDIS.opsForStream().read(Consumer.from(group, "worker"),
                StreamReadOptions.empty().count(1), StreamOffset.create(STREAM, ReadOffset.lastConsumed()));
        assertThat(next).extracting(r -> r.getId().getValue()).containsExactly(id(2));

        MapRecord<String, Object, Object> audit = REDIS.opsForStream().reverseRange(OpsKeys.AUDIT, Range.unbounded(),
                org.springframework.data.redis.connection.Limit.limit().count(1)).get(0);
        assertThat(audit.getId().getValue()).isNotEqualTo(before).isEqualTo(answer.get("auditId").asText());
        assertThat(audit.getValue()).containsEntry(OpsKeys.AUDIT_WHO, "ops-alice")
                .containsEntry(OpsKeys.AUDIT_ACTION, "group.position")
                .containsEntry(OpsKeys.AUDIT_TARGET, STREAM + "/" + group)
                .containsEntry(OpsKeys.AUDIT_REASON, "reprocess after the rules fix")
                .containsKey(OpsKeys.AUDIT_AT);
        JsonNode details = EventJson.parse(String.valueOf(audit.getValue().get(OpsKeys.AUDIT_DETAILS)), "details");
        assertThat(details.get("previousPosition").asText()).isEqualTo(id(5));
        assertThat(details.get("redelivered").asLong()).isEqualTo(4);
    }

    @Test
    void aMoveForwardByIdPastUndeliveredEntriesIsRefusedUnlessForced() throws Exception {
        // starting at entry 9 would skip entries 6, 7 and 8, never delivered to the group
        String body = """
                {"entryId": "%s", "reason": "skip the poison burst"}""".formatted(id(9));
        HttpResponse<String> dryRun = move("""
                {"entryId": "%s", "dryRun": true}""".formatted(id(9)));
        assertThat(dryRun.statusCode()).isEqualTo(409);
        assertThat(json(dryRun).get("skipped").asLong()).isEqualTo(3);

        HttpResponse<String> refused = move(body, "X-Operator", "ops-bob");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(refused).get("skipped").asLong()).isEqualTo(3);
        assertThat(lastDelivered()).isEqualTo(id(5));

        HttpResponse<String> forced = move(body.replace("{", "{\"force\": true, "), "X-Operator", "ops-bob");
        assertThat(forced.statusCode()).isEqualTo(200);
        assertThat(json(forced).get("skipped").asLong()).isEqualTo(3);
        List<MapRecord<String, Object, Object>> next = REDIS.opsForStream().read(Consumer.from(group, "worker"),
                StreamReadOptions.empty().count(1), StreamOffset.create(STREAM, ReadOffset.lastConsumed()));
        assertThat(next).extracting(r -> r.getId().getValue()).containsExactly(id(9));
    }

    @Test
    void aMoveBackByIdToAnAcknowledgedEntryNeedsNoForce() throws Exception {
        HttpResponse<String> response = move("""
                {"entryId": "%s", "reason": "again from entry 4"}""".formatted(id(4)), "X-Operator", "ops-carol");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("redelivered").asLong()).isEqualTo(2);
        // the greatest id below entry 4's
        assertThat(lastDelivered()).isEqualTo((T0 + 3999) + "-9223372036854775807");
    }

    @Test
    void badRequestsAre400sNamingTheFieldAndUnknownGroupsAre404s() throws Exception {
        assertProblem(move("""
                {"time": "2026-03-02T09:00:02Z", "reason": "no operator"}"""), 400, "X-Operator");
        assertProblem(move("""
                {"time": "yesterday", "reason": "r"}""", "X-Operator", "ops"), 400, "time");
        assertProblem(move("""
                {"time": "2026-03-02T09:00:02Z", "entryId": "1-0", "reason": "r"}""", "X-Operator", "ops"), 400, "time");
        assertProblem(move("""
                {"entryId": "12-x", "reason": "r"}""", "X-Operator", "ops"), 400, "entryId");
        assertProblem(move("""
                {"entryId": "1-0"}""", "X-Operator", "ops"), 400, "reason");
        assertProblem(move("""
                {"entryId": "1-0", "reason": "r", "dryRun": "yes"}""", "X-Operator", "ops"), 400, "dryRun");
        assertProblem(move("""
                {"entryId": "1-0", "reason": "r", "stream": "claims:other"}""", "X-Operator", "ops"), 400, "stream");
        HttpResponse<String> unknown = api.post("/api/ops/groups/no-such-group/position", """
                {"entryId": "1-0", "dryRun": true}""");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(lastDelivered()).isEqualTo(id(5));
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        List<String> fields = new ArrayList<>();
        json(response).get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains(field);
    }

    private HttpResponse<String> move(String body, String... headers) throws Exception {
        return api.post("/api/ops/groups/" + group + "/position", body, headers);
    }

    private static String id(int i) {
        return (T0 + i * 1000L) + "-0";
    }

    private String lastDelivered() {
        return REDIS.opsForStream().groups(STREAM).stream().filter(g -> g.groupName().equals(group)).findFirst()
                .orElseThrow().lastDeliveredId();
    }

    private static String lastAuditId() {
        List<MapRecord<String, Object, Object>> last = REDIS.opsForStream().reverseRange(OpsKeys.AUDIT,
                Range.unbounded(), org.springframework.data.redis.connection.Limit.limit().count(1));
        return last.isEmpty() ? "" : last.get(0).getId().getValue();
    }
}
