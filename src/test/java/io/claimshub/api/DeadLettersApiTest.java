package io.claimshub.api;

import static io.claimshub.api.ClaimsApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.component.redisstreams.DeadLetterFields;
import io.claimshub.ops.OpsAudit;
import io.claimshub.ops.OpsKeys;
import io.claimshub.testsupport.GroupDeliveries;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Dead letters on the booted hub: a poison entry and a failing step each leave one with its reason; an operator lists
 * them, replays one to the group that gave up on it only (the other groups see nothing again), a replay that fails
 * again comes back once with its new error, and a discard is recorded in the audit stream.
 */
@Tag("redis")
class DeadLettersApiTest {

    private static final String STREAM = TestRedis.uniqueKey("dead-letters-api-events");
    private static final String DEAD_LETTERS = OpsKeys.deadLetters(STREAM);
    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NORTH_SUBMISSION = ClaimRequests.SUBMISSION.replace("eu-west", "north");
    /** The policy whose claims' events the processors' steps fail on while it is set (an adjuster system that is down). */
    private static final AtomicReference<String> FAILING_POLICY = new AtomicReference<>();

    private static TestHub hub;
    /** What the analytics and notifications groups' steps were handed (a step woven into each). */
    private static GroupDeliveries deliveries;
    private static ClaimsApiClient api;

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "dead-letters-api-test",
                "hub.consumer.block", "200",
                "hub.consumer.background-read-delay", "0",
                "hub.retry.max-redeliveries", "1",
                "hub.retry.delay", "10",
                "hub.ingest.enabled", "false"));
        api = new ClaimsApiClient(hub.apiBase());
        deliveries = GroupDeliveries.watch(hub.context(), "analytics", "notifications");
        AdviceWith.adviceWith(hub.context(), "processors-steps", route -> route.weaveAddFirst().process(exchange -> {
            Object data = exchange.getMessage().getBody(Map.class).get("data");
            String policy = FAILING_POLICY.get();
            if (data != null && policy != null && data.toString().contains(policy)) {
                throw new IllegalStateException("the adjuster system is down");
            }
        }));
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
        REDIS.delete(List.of(OpsKeys.replays(STREAM)));
    }

    @Test
    void aFailingStepIsDeadLetteredWithItsReasonAndReplayedToThatGroupOnly() throws Exception {
        // given a claim whose processing fails in the processors group (the other groups handle its entry)
        FAILING_POLICY.set("POL-900001");
        String claimId = claimIdOf(api.post("/api/claims", NORTH_SUBMISSION.replace("POL-123456", "POL-900001")));
        JsonNode deadLetter = awaitDeadLetter("processors", claimId);
        String logEntry = deadLetter.get("entryId").asText();
        await().atMost(WAIT).until(() -> seen().seenBy("analytics").containsKey(logEntry)
                && seen().seenBy("notifications").containsKey(logEntry));

        // expect the dead letter to say why, with the original entry
        assertThat(deadLetter.get("reason").asText()).isEqualTo("redeliveries-exhausted");
        assertThat(deadLetter.get("error").asText()).contains("the adjuster system is down");
        assertThat(deadLetter.get("deliveryCount").asLong()).isEqualTo(1);
        assertThat(deadLetter.get("stream").asText()).isEqualTo(STREAM);
        assertThat(deadLetter.path("entry").get("claimId").asText()).isEqualTo(claimId);
        assertThat(deadLetter.get("replayable").asBoolean()).isTrue();
        assertThat(claimStatus(claimId)).isEqualTo("submitted");
        assertThat(get("/api/ops/dead-letters/" + deadLetter.get("id").asText()).statusCode()).isEqualTo(200);

        // when the system is back and an operator replays it
        FAILING_POLICY.set(null);
        HttpResponse<String> replay = api.post("/api/ops/dead-letters/" + deadLetter.get("id").asText() + "/replay",
                "{\"reason\":\"adjuster system back\"}", "X-Operator", "ops-alice");

        // expect the processors group to have assigned the claim, and no other group to have seen the entry again
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(json(replay).get("group").asText()).isEqualTo("processors");
        await().atMost(WAIT).until(() -> claimStatus(claimId).equals("assigned"));
        awaitReplaysDone();
        assertThat(seen().seenBy("analytics")).containsEntry(logEntry, 1);
        assertThat(seen().seenBy("notifications")).containsEntry(logEntry, 1);
        assertThat(deadLettersOf("processors", claimId)).isEmpty();
        assertThat(get("/api/ops/dead-letters/" + deadLetter.get("id").asText()).statusCode()).isEqualTo(404);
        // and the replay in the audit stream
        assertThat(audit(DEAD_LETTERS + "/" + deadLetter.get("id").asText())).singleElement().satisfies(entry -> {
            assertThat(entry).containsEntry(OpsAudit.WHO, "ops-alice").containsEntry(OpsAudit.ACTION, "dead-letter.replay")
                    .containsEntry(OpsAudit.REASON, "adjuster system back");
            assertThat(entry.get(OpsAudit.DETAILS).toString()).contains("group=processors", logEntry);
        });
        // a second replay of the same dead letter finds nothing to do
        assertThat(api.post("/api/ops/dead-letters/" + deadLetter.get("id").asText() + "/replay", "",
                "X-Operator", "ops-alice").statusCode()).isEqualTo(404);
    }

    @Test
    void aPoisonEntryIsDeadLetteredAndAReplayThatFailsAgainComesBackOnceWithItsNewError() throws Exception {
        // given an entry on the log that is not a claim's event (an unknown claim)
        String poison = REDIS.opsForStream().add(STREAM, Map.of("claimId", "CLM-NOPE0001", "eventType",
                "claim.submitted", "data", "{}")).getValue();
        JsonNode deadLetter = awaitDeadLetter("processors", "CLM-NOPE0001");
        assertThat(deadLetter.get("reason").asText()).isEqualTo("invalid-event");
        assertThat(deadLetter.get("entryId").asText()).isEqualTo(poison);
        assertThat(deadLetter.get("replays").asInt()).isZero();

        // when it is replayed (with the selection form) and fails again
        HttpResponse<String> replay = api.post("/api/ops/dead-letters/replay", "{\"group\":\"processors\",\"ids\":[\""
                + deadLetter.get("id").asText() + "\"]}", "X-Operator", "ops-bob");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(json(replay).get("replayed")).hasSize(1);

        // expect exactly one dead letter again, for the same entry and group, with the replay counted
        JsonNode again = awaitDeadLetter("processors", "CLM-NOPE0001");
        awaitReplaysDone();
        assertThat(deadLettersOf("processors", "CLM-NOPE0001")).hasSize(1);
        assertThat(again.get("id").asText()).isNotEqualTo(deadLetter.get("id").asText());
        assertThat(again.get("entryId").asText()).isEqualTo(poison);
        assertThat(again.get("replays").asInt()).isEqualTo(1);
        assertThat(again.get("reason").asText()).isEqualTo("invalid-event");
        assertThat(again.get("error").asText()).isNotBlank();
        // the other groups were handed it once, on the log (analytics dead-lettered it itself then, once: the
        // replay to the processors did not reach it)
        assertThat(seen().seenBy("analytics")).containsEntry(poison, 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLettersOf("analytics", "CLM-NOPE0001")).hasSize(1));

        // when it is discarded with a reason
        String id = again.get("id").asText();
        HttpResponse<String> discard = api.post("/api/ops/dead-letters/" + id + "/discard",
                "{\"reason\":\"forged entry, no such claim\"}", "X-Operator", "ops-bob");

        // expect it gone, and the discard in the audit stream with who, what and why
        assertThat(discard.statusCode()).as(discard.body()).isEqualTo(200);
        assertThat(deadLettersOf("processors", "CLM-NOPE0001")).isEmpty();
        assertThat(audit(DEAD_LETTERS + "/" + id)).singleElement().satisfies(entry -> {
            assertThat(entry).containsEntry(OpsAudit.WHO, "ops-bob").containsEntry(OpsAudit.ACTION, "dead-letter.discard")
                    .containsEntry(OpsAudit.REASON, "forged entry, no such claim").containsKey(OpsAudit.AT);
            assertThat(entry.get(OpsAudit.DETAILS).toString()).contains("group=processors", poison, "invalid-event");
        });
    }

    @Test
    void writesWithoutAnOperatorOrAReasonAndBadQueriesAreRefusedNamingTheField() throws Exception {
        assertProblem(api.post("/api/ops/dead-letters/1-0/replay", ""), "X-Operator");
        assertProblem(api.post("/api/ops/dead-letters/1-0/discard", "{\"reason\":\"x\"}"), "X-Operator");
        assertProblem(api.post("/api/ops/dead-letters/1-0/discard", "{}", "X-Operator", "ops"), "reason");
        assertProblem(api.post("/api/ops/dead-letters/replay", "{\"ids\":[\"1-0\"]}", "X-Operator", "ops"), "group");
        assertProblem(api.post("/api/ops/dead-letters/replay", "{\"group\":\"processors\",\"ids\":[\"x\"]}",
                "X-Operator", "ops"), "ids[0]");
        assertProblem(get("/api/ops/dead-letters"), "group");
        assertProblem(get("/api/ops/dead-letters?group=processors&limit=0"), "limit");
        assertProblem(get("/api/ops/dead-letters?group=processors&after=abc"), "after");
        assertProblem(get("/api/ops/dead-letters/not-an-id"), "id");
        HttpResponse<String> unknownGroup = api.post("/api/ops/dead-letters/replay",
                "{\"group\":\"nobody\",\"all\":true}", "X-Operator", "ops");
        assertThat(unknownGroup.statusCode()).isEqualTo(409);
        assertThat(unknownGroup.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void aDeadLetterOfAnotherGroupIsNotReplayedBySelection() throws Exception {
        Map<String, String> foreign = Map.of(DeadLetterFields.SOURCE_STREAM, STREAM, DeadLetterFields.GROUP, "analytics",
                DeadLetterFields.ENTRY_ID, "1-1", DeadLetterFields.REASON, "redeliveries-exhausted", "claimId", "CLM-OTHER001");
        String id = REDIS.opsForStream().add(DEAD_LETTERS, foreign).getValue();
        HttpResponse<String> replay = api.post("/api/ops/dead-letters/replay",
                "{\"group\":\"processors\",\"ids\":[\"" + id + "\"]}", "X-Operator", "ops");
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(json(replay).get("replayed")).isEmpty();
        assertThat(json(replay).get("skipped").get(0).get("id").asText()).isEqualTo(id);
        assertThat(deadLettersOf("analytics", "CLM-OTHER001")).hasSize(1);
    }

    private static void assertProblem(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(response).get("errors").findValuesAsText("field")).contains(field);
    }

    private static JsonNode awaitDeadLetter(String group, String claimId) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            List<JsonNode> list = deadLettersOf(group, claimId);
            if (list.isEmpty()) {
                return false;
            }
            found.set(list.get(list.size() - 1));
            return true;
        });
        return found.get();
    }

    private static List<JsonNode> deadLettersOf(String group, String claimId) throws Exception {
        HttpResponse<String> response = get("/api/ops/dead-letters?group=" + group + "&limit=1000");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> matching = new java.util.ArrayList<>();
        json(response).get("deadLetters").forEach(d -> {
            if (claimId.equals(d.path("entry").path("claimId").asText())) {
                matching.add(d);
            }
        });
        return matching;
    }

    /** Every copy on the replay stream has been handed over and acknowledged. */
    private static void awaitReplaysDone() {
        await().atMost(WAIT).until(() -> REDIS.opsForStream().groups(OpsKeys.replays(STREAM)).stream()
                .allMatch(g -> g.pendingCount() == 0 && g.lastDeliveredId().equals(lastReplayId())));
    }

    private static String lastReplayId() {
        List<MapRecord<String, Object, Object>> last = REDIS.opsForStream().reverseRange(OpsKeys.replays(STREAM),
                Range.unbounded(), org.springframework.data.redis.connection.Limit.limit().count(1));
        return last.isEmpty() ? "0-0" : last.get(0).getId().getValue();
    }

    private static List<Map<Object, Object>> audit(String target) {
        return REDIS.opsForStream().range(OpsKeys.AUDIT, Range.unbounded()).stream().map(MapRecord::getValue)
                .filter(v -> target.equals(v.get(OpsAudit.TARGET))).toList();
    }

    private static GroupDeliveries seen() {
        return deliveries;
    }

    private static String claimIdOf(HttpResponse<String> submitted) {
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        return json(submitted).get("claimId").asText();
    }

    private static String claimStatus(String claimId) throws Exception {
        return json(get("/api/claims/" + claimId)).path("status").asText();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).header("X-API-Key", TestHub.API_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
