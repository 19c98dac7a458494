package io.claimshub.api;

import static io.claimshub.api.ClaimsApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.store.ClaimKeys;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The consistency report finds a snapshot the test damaged (and not its intact neighbour), and a rebuild from the
 * claim's stream (one claim, or all) repairs it.
 */
@Tag("redis")
class SnapshotsApiTest {

    private static final String STREAM = TestRedis.uniqueKey("snapshots-api-events");
    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NORTH_SUBMISSION = ClaimRequests.SUBMISSION.replace("eu-west", "north");

    private static TestHub hub;
    private static ClaimsApiClient api;

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "snapshots-api-test",
                "hub.consumer.block", "200",
                "hub.ingest.enabled", "false"));
        api = new ClaimsApiClient(hub.apiBase());
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
    }

    @Test
    void aDamagedSnapshotIsReportedAndRebuiltFromItsStream() throws Exception {
        // given two assigned claims, one of whose snapshots is damaged (its amount and status changed behind the hub)
        String damaged = assignedClaim();
        String intact = assignedClaim();
        Map<Object, Object> before = REDIS.opsForHash().entries(ClaimKeys.snapshot(damaged));
        REDIS.opsForHash().put(ClaimKeys.snapshot(damaged), "status", "paid");
        REDIS.opsForHash().put(ClaimKeys.snapshot(damaged), "amountClaimed", "999999.00");

        // expect the report to list it with the fields that differ, and not the intact one
        JsonNode report = json(api.get("/api/ops/snapshots/consistency?limit=1000"));
        assertThat(listed(report)).contains(damaged).doesNotContain(intact);
        assertThat(fieldsOf(report, damaged)).containsExactlyInAnyOrder("status", "amountClaimed");

        // when it is rebuilt from its stream
        HttpResponse<String> rebuilt = api.post("/api/ops/snapshots/rebuild", "{\"claimId\":\"" + damaged + "\"}",
                "X-Operator", "ops-dave");

        // expect it as it was, and no longer reported
        assertThat(rebuilt.statusCode()).as(rebuilt.body()).isEqualTo(200);
        assertThat(REDIS.opsForHash().entries(ClaimKeys.snapshot(damaged))).isEqualTo(before);
        assertThat(listed(json(api.get("/api/ops/snapshots/consistency?limit=1000")))).doesNotContain(damaged);

        // when both are damaged (one deleted outright) and all are rebuilt
        REDIS.opsForHash().put(ClaimKeys.snapshot(damaged), "version", "1");
        REDIS.delete(ClaimKeys.snapshot(intact));
        assertThat(listed(json(api.get("/api/ops/snapshots/consistency?limit=1000")))).contains(damaged, intact);
        HttpResponse<String> all = api.post("/api/ops/snapshots/rebuild", "{\"all\":true,\"reason\":\"check\"}",
                "X-Operator", "ops-dave");
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(json(all).get("rebuilt").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(listed(json(api.get("/api/ops/snapshots/consistency?limit=1000")))).doesNotContain(damaged, intact);
        assertThat(REDIS.opsForHash().entries(ClaimKeys.snapshot(damaged))).isEqualTo(before);
    }

    @Test
    void aRebuildNamesItsOperatorAndClaim() throws Exception {
        HttpResponse<String> noOperator = api.post("/api/ops/snapshots/rebuild", "{\"claimId\":\"CLM-AAAAAAAA\"}");
        assertThat(noOperator.statusCode()).isEqualTo(400);
        assertThat(json(noOperator).get("errors").findValuesAsText("field")).contains("X-Operator");
        HttpResponse<String> badClaim = api.post("/api/ops/snapshots/rebuild", "{\"claimId\":\"nope\"}", "X-Operator", "ops");
        assertThat(json(badClaim).get("errors").findValuesAsText("field")).contains("claimId");
        assertThat(api.post("/api/ops/snapshots/rebuild", "{\"claimId\":\"CLM-ZZZZZZZ9\"}", "X-Operator", "ops")
                .statusCode()).isEqualTo(404);
    }

    private static String assignedClaim() throws Exception {
        HttpResponse<String> submitted = api.post("/api/claims", NORTH_SUBMISSION);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String claimId = json(submitted).get("claimId").asText();
        await().atMost(WAIT).until(() -> "assigned".equals(json(api.get("/api/claims/" + claimId)).path("status").asText()));
        return claimId;
    }

    private static List<String> listed(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.get("snapshots").forEach(s -> ids.add(s.get("claimId").asText()));
        return ids;
    }

    private static List<String> fieldsOf(JsonNode report, String claimId) {
        List<String> fields = new ArrayList<>();
        report.get("snapshots").forEach(s -> {
            if (s.get("claimId").asText().equals(claimId)) {
                s.get("fields").forEach(f -> fields.add(f.asText()));
            }
        });
        return fields;
    }
}
