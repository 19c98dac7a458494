package io.claimshub.api;

import static io.claimshub.api.ClaimsApiClient.json;
import static io.claimshub.api.ClaimRequests.SUBMISSION;
import static io.claimshub.testsupport.TestFiles.testResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.testsupport.PolicyCheckFeed;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The REST API of the real hub, booted through Camel Main on free ports against a real Redis, called over HTTP.
 */
@Tag("redis")
class ClaimsApiTest {

    private static final String STREAM = TestRedis.uniqueKey("api-events");
    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // the deadline lies far ahead, so the SLA scheduler adds no breach to the claims these tests inspect
    private static final String ASSIGNMENT = """
            {"eventType":"claim.assigned","data":{"adjusterId":"ADJ-042","adjusterName":"Grace Hopper",
             "assignedAt":"2026-03-02T09:05:00Z","slaDeadline":"2099-03-04T09:05:00Z"}}""";

    private static TestHub hub;
    private static ClaimsApiClient api;
    private static String base;

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "api-test",
                // approvals wait for the policy check, done by the hub's adapter on its test policy database
                "hub.policy.enabled", "true",
                // claims stay unassigned, so each test sees exactly the events it wrote (assignment has tests of its own)
                "hub.processing.roster-file", testResource(BusyAdjusters.ROSTER)));
        // its tests count the events they write: the policy check is made only when a test hands a claim to it
        hub.context().getRouteController().stopRoute("integrations");
        api = new ClaimsApiClient(hub.apiBase());
        base = hub.apiBase();
        BusyAdjusters.fill(base, SUBMISSION);
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
    }

    // --- POST /api/claims ---

    @Test
    void submissionIsAcceptedWithTheNewClaimsIdAndLocation() throws Exception {
        HttpResponse<String> response = api.post("/api/claims", SUBMISSION);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(response);
        String claimId = body.get("claimId").asText();
        assertThat(claimId).matches("CLM-[A-Z0-9]{8}");
        assertThat(UUID.fromString(body.get("eventId").asText())).isNotNull();
        assertThat(body.get("version").asLong()).isEqualTo(1);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/claims/" + claimId);
        assertThat(claimStreamLength(claimId)).isEqualTo(1);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswersTheFirstResultAndAppendsOnce() throws Exception {
        String key = "retry-" + UUID.randomUUID();
        long globalBefore = globalLength();

        HttpResponse<String> first = api.post("/api/claims", SUBMISSION, "Idempotency-Key", key);
        HttpResponse<String> retry = api.post("/api/claims", SUBMISSION, "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(json(retry)).isEqualTo(json(first));
        assertThat(claimStreamLength(json(first).get("claimId").asText())).isEqualTo(1);
        assertThat(globalLength()).isEqualTo(globalBefore + 1);
    }

    @Test
    void aRetryWithTheSameClientEventIdAnswersTheFirstResult() throws Exception {
        String eventId = UUID.randomUUID().toString();
        String withEventId = SUBMISSION.replaceFirst("\\{", "{\"eventId\":\"" + eventId + "\",");

        JsonNode first = json(api.post("/api/claims", withEventId));
        JsonNode retry = json(api.post("/api/claims", withEventId));

        assertThat(first.get("eventId").asText()).isEqualTo(eventId);
        assertThat(retry).isEqualTo(first);
        // the event id is the envelope's, not part of the submitted data
        JsonNode events = json(api.get("/api/claims/" + first.get("claimId").asText() + "/events")).get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("data").has("eventId")).isFalse();
    }

    @Test
    void anInvalidSubmissionIsA400NamingEachFieldAndWritesNothing() throws Exception {
        long globalBefore = globalLength();
        String invalid = SUBMISSION.replace("\"policyNumber\":\"POL-123456\",", "")
                .replace("ada@example.com", "not-an-email");

        HttpResponse<String> response = api.post("/api/claims", invalid);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).isNotBlank();
        assertThat(fields(problem)).contains("policyNumber", "claimant.email");
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        long globalBefore = globalLength();

        HttpResponse<String> response = api.post("/api/claims", "{\"policyNumber\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("type").asText()).endsWith("/malformed-json");
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void aBodyThatIsNotJsonIsA415() throws Exception {
        long globalBefore = globalLength();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/claims")).header("X-API-Key", TestHub.API_KEY)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(SUBMISSION)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("status").asInt()).isEqualTo(415);
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void aBodyOverTheLimitIsA413BeforeItIsParsed() throws Exception {
        long globalBefore = globalLength();
        // valid JSON, 300 KiB: refused for its size, not its content
        String large = SUBMISSION.replace("Rear-ended at a traffic light", "x".repeat(300 * 1024));

        HttpResponse<String> response = api.post("/api/claims", large);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("detail").asText()).contains("262144");
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    // --- POST /api/claims/{claimId}/events ---

    @Test
    void anEventPushedForAClaimIsAccepted() throws Exception {
        String claimId = submitClaim();

        HttpResponse<String> response = api.post("/api/claims/" + claimId + "/events", ASSIGNMENT);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("claimId").asText()).isEqualTo(claimId);
        assertThat(json(response).get("version").asLong()).isEqualTo(2);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/claims/" + claimId);
        assertThat(json(api.get("/api/claims/" + claimId)).get("status").asText()).isEqualTo("assigned");
    }

    @Test
    void anEventForAnUnknownClaimIsA404() throws Exception {
        long globalBefore = globalLength();

        HttpResponse<String> response = api.post("/api/claims/CLM-NOSUCH00/events", ASSIGNMENT);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void aTransitionTheClaimDoesNotAllowNowIsA409WithItsCurrentState() throws Exception {
        String claimId = submitClaim();
        long globalBefore = globalLength();
        String approval = """
                {"eventType":"claim.approved","data":{"approvedAmount":{"amount":1500.00,"currency":"EUR"},
                 "approvedBy":"ADJ-042"}}""";

        HttpResponse<String> response = api.post("/api/claims/" + claimId + "/events", approval);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("detail").asText()).contains("unassigned");
        assertThat(problem.get("currentVersion").asLong()).isEqualTo(1);
        assertThat(problem.get("currentStatus").asText()).isEqualTo("submitted");
        assertThat(problem.get("state").get("status").asText()).isEqualTo("submitted");
        assertThat(claimStreamLength(claimId)).isEqualTo(1);
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void aStaleExpectedVersionIsA409WithTheCurrentVersion() throws Exception {
        String claimId = submitClaim();
        String stale = ASSIGNMENT.replaceFirst("\\{", "{\"expectedVersion\":0,");

        HttpResponse<String> response = api.post("/api/claims/" + claimId + "/events", stale);

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode problem = json(response);
        assertThat(problem.get("currentVersion").asLong()).isEqualTo(1);
        assertThat(problem.get("detail").asText()).contains("expected version 0");
        assertThat(problem.get("state").get("version").asLong()).isEqualTo(1);
        assertThat(claimStreamLength(claimId)).isEqualTo(1);
    }

    @Test
    void anInvalidPushIsA400NamingEachField() throws Exception {
        String claimId = submitClaim();
        long globalBefore = globalLength();
        String invalid = """
                {"eventType":"claim.assigned","data":{"adjusterId":"ADJ-042","assignedAt":"yesterday",
                 "slaDeadline":"2026-03-04T09:05:00Z"},"eventId":"not-a-uuid","expectedVersion":-1,"extra":1}""";

        HttpResponse<String> response = api.post("/api/claims/" + claimId + "/events", invalid);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fields(json(response))).contains("eventId", "expectedVersion", "extra");

        HttpResponse<String> badData = api.post("/api/claims/" + claimId + "/events",
                invalid.replace(",\"eventId\":\"not-a-uuid\",\"expectedVersion\":-1,\"extra\":1", ""));
        assertThat(badData.statusCode()).isEqualTo(400);
        assertThat(fields(json(badData))).contains("data.adjusterName", "data.assignedAt");

        HttpResponse<String> unknownType = api.post("/api/claims/" + claimId + "/events",
                "{\"eventType\":\"claim.teleported\",\"data\":{}}");
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(fields(json(unknownType))).containsExactly("eventType");
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    // --- POST: whatever is accepted can be read back ---

    @Test
    void anAmountOf1e1000IsA400AtPostAndNothingUnreadableIsStored() throws Exception {
        long globalBefore = globalLength();

        HttpResponse<String> response = api.post("/api/claims", SUBMISSION.replace("1500.00", "1e1000"));

        // whatever was accepted must be readable: never a 500 when the claim is read back
        if (response.statusCode() == 202) {
            String claimId = json(response).get("claimId").asText();
            assertThat(api.get("/api/claims/" + claimId).statusCode()).isEqualTo(200);
            assertThat(api.get("/api/claims/" + claimId + "/events").statusCode()).isEqualTo(200);
        }
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fields(json(response))).containsExactly("amountClaimed.amount");
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void anAmountOf1e10000IsA400AndLeavesTheIdempotencyKeyFree() throws Exception {
        String key = "huge-" + UUID.randomUUID();

        HttpResponse<String> refused = api.post("/api/claims", SUBMISSION.replace("1500.00", "1e10000"),
                "Idempotency-Key", key);
        HttpResponse<String> valid = api.post("/api/claims", SUBMISSION, "Idempotency-Key", key);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(fields(json(refused))).containsExactly("amountClaimed.amount");
        assertThat(valid.statusCode()).isEqualTo(202);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1500.00                       | 1000000000000.01 | amountClaimed.amount",
        "1500.00                       | 1500.001         | amountClaimed.amount",
        "Rear-ended at a traffic light | ' \\t '           | description",
        "2026-02-27                    | 0000-02-27       | incidentDate"})
    void anAmountBeyondTheLimitsABlankDescriptionOrAnIncidentInTheYear0000IsA400(String value, String replacement,
                                                                                  String field) throws Exception {
        HttpResponse<String> response = api.post("/api/claims", SUBMISSION.replace(value, replacement));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fields(json(response))).containsExactly(field);
    }

    @Test
    void dataNested998LevelsDeepIsRefusedAtPost() throws Exception {
        String claimId = json(api.post("/api/claims", SUBMISSION)).get("claimId").asText();
        String deep = "{\"eventType\":\"claim.document.uploaded\",\"data\":{\"documentId\":\"DOC-1\","
                + "\"documentType\":\"photo\",\"fileName\":\"rear.jpg\",\"uploadedBy\":\"ada@example.com\",\"x\":"
                + "{\"a\":".repeat(998) + "1" + "}".repeat(998) + "}}";

        HttpResponse<String> response = api.post("/api/claims/" + claimId + "/events", deep);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fields(json(response))).singleElement().asString().startsWith("data.x.a");
        assertThat(api.get("/api/claims/" + claimId + "/events").statusCode()).isEqualTo(200);
        assertThat(json(api.get("/api/claims/" + claimId + "/events")).get("version").asLong()).isEqualTo(1);
    }

    // --- POST: nothing is silently changed on the way in ---

    @Test
    void duplicateKeysAreA400() throws Exception {
        long globalBefore = globalLength();

        HttpResponse<String> type = api.post("/api/claims", SUBMISSION.replace("\"claimType\":\"auto\"",
                "\"claimType\":\"boat\",\"claimType\":\"auto\""));
        HttpResponse<String> amount = api.post("/api/claims", SUBMISSION.replace("\"amount\":1500.00",
                "\"amount\":-5,\"amount\":1500.00"));

        assertThat(type.statusCode()).isEqualTo(400);
        assertThat(fields(json(type))).containsExactly("claimType");
        assertThat(amount.statusCode()).isEqualTo(400);
        assertThat(fields(json(amount))).containsExactly("amountClaimed.amount");
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void bytesThatAreNotUtf8AndLoneSurrogatesAreA400NamingTheField() throws Exception {
        long globalBefore = globalLength();
        byte[] latin1 = SUBMISSION.replace("traffic light", "café").getBytes(StandardCharsets.ISO_8859_1);
        byte[] invalid = SUBMISSION.replace("traffic light", "\u0001").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < invalid.length; i++) {
            if (invalid[i] == 1) {
                invalid[i] = (byte) 0xFF;
            }
        }

        HttpResponse<String> notUtf8 = api.post("/api/claims", latin1, "application/json");
        HttpResponse<String> badByte = api.post("/api/claims", invalid, "application/json");
        HttpResponse<String> surrogate = api.post("/api/claims", SUBMISSION.replace("traffic light", "\\ud800"));

        for (HttpResponse<String> response : List.of(notUtf8, badByte, surrogate)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(fields(json(response))).containsExactly("description");
        }
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void aDeclaredCharsetIsHonoured() throws Exception {
        byte[] latin1 = SUBMISSION.replace("traffic light", "café").getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = api.post("/api/claims", latin1, "application/json; charset=ISO-8859-1");

        assertThat(response.statusCode()).isEqualTo(202);
        String claimId = json(response).get("claimId").asText();
        JsonNode events = json(api.get("/api/claims/" + claimId + "/events")).get("events");
        assertThat(events.get(0).get("data").get("description").asText()).isEqualTo("Rear-ended at a café");
    }

    // --- POST /api/claims: Idempotency-Key (IETF draft) ---

    @Test
    void theSameKeyWithADifferentPayloadIsA422AndTheSameOneAnswersTheFirstResult() throws Exception {
        String key = "payload-" + UUID.randomUUID();
        HttpResponse<String> first = api.post("/api/claims", SUBMISSION, "Idempotency-Key", key);

        HttpResponse<String> other = api.post("/api/claims", SUBMISSION.replace("POL-123456", "POL-999999"),
                "Idempotency-Key", key);
        HttpResponse<String> retry = api.post("/api/claims", SUBMISSION, "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(other).get("status").asInt()).isEqualTo(422);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(json(retry)).isEqualTo(json(first));
    }

    @Test
    void thirtyDifferentBodiesRacedUnderOneKeyGiveExactlyOne202() throws Exception {
        String key = "race-" + UUID.randomUUID();
        long globalBefore = globalLength();
        ExecutorService clients = Executors.newFixedThreadPool(30);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String body = SUBMISSION.replace("POL-123456", "POL-" + (100000 + i));
                responses.add(clients.submit(() -> {
                    start.await();
                    return api.post("/api/claims", body, "Idempotency-Key", key);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> response : responses) {
                statuses.add(response.get(60, TimeUnit.SECONDS).statusCode());
            }

            assertThat(statuses).filteredOn(status -> status == 202).hasSize(1);
            assertThat(statuses).allMatch(status -> status == 202 || status == 409 || status == 422);
            assertThat(globalLength()).isEqualTo(globalBefore + 1);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aKeyIsFreeAgainAfterAFailedRequest() throws Exception {
        String key = "failed-" + UUID.randomUUID();

        HttpResponse<String> invalid = api.post("/api/claims", SUBMISSION.replace("ada@example.com", "nobody"),
                "Idempotency-Key", key);

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(api.post("/api/claims", SUBMISSION, "Idempotency-Key", key).statusCode()).isEqualTo(202);
    }

    // --- GET /api/claims/{claimId} ---

    @Test
    void theClaimCanBeReadRightAfterItsSubmissionAndItsSnapshotCatchesUp() throws Exception {
        HttpResponse<String> submitted = api.post("/api/claims", SUBMISSION);
        String claimId = json(submitted).get("claimId").asText();

        HttpResponse<String> response = api.get("/api/claims/" + claimId);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode claim = json(response);
        assertThat(claim.get("claimId").asText()).isEqualTo(claimId);
        assertThat(claim.get("status").asText()).isEqualTo("submitted");
        assertThat(claim.get("version").asLong()).isEqualTo(1);
        assertThat(claim.get("amountClaimed").get("amount").decimalValue()).isEqualByComparingTo("1500.00");
        assertThat(claim.get("claimantEmail").asText()).isEqualTo("ada@example.com");
        // the processors keep the snapshot hash; once they have, it is what is served
        await().atMost(Duration.ofSeconds(20)).until(() -> REDIS.hasKey("claim:{" + claimId + "}"));
        assertThat(json(api.get("/api/claims/" + claimId)).get("version").asLong()).isEqualTo(1);
    }

    @Test
    void everyAmountIsTheExactDecimalSubmittedWithItsCurrencyInTheClaimAndItsAuditTrail() throws Exception {
        String claimId = submitClaim();
        api.post("/api/claims/" + claimId + "/events", ASSIGNMENT);
        PolicyCheckFeed.checkThroughAdapter(hub, claimId);
        HttpResponse<String> approval = api.post("/api/claims/" + claimId + "/events", """
                {"eventType":"claim.approved","data":{"approvedAmount":{"amount":1200.50,"currency":"EUR"},
                 "approvedBy":"ADJ-042"}}""");
        assertThat(approval.statusCode()).isEqualTo(202);
        String claimed = "\"amountClaimed\":{\"amount\":1500.00,\"currency\":\"EUR\"}";
        String approved = "\"approvedAmount\":{\"amount\":1200.50,\"currency\":\"EUR\"}";

        // read from the snapshot hash the processors keep (and exact there too)
        // submitted, assigned, policy checked, approved
        await().atMost(Duration.ofSeconds(20)).until(() -> "4".equals(REDIS.opsForHash().get("claim:{" + claimId + "}", "version")));
        assertThat(REDIS.opsForHash().multiGet("claim:{" + claimId + "}", List.of("amountClaimed", "approvedAmount", "currency")))
                .containsExactly("1500.00", "1200.50", "EUR");
        assertThat(api.get("/api/claims/" + claimId).body()).contains(claimed, approved);
        // rebuilt from the claim's events
        assertThat(api.get("/api/claims/" + claimId + "?asOf=2999-01-01T00:00:00Z").body()).contains(claimed, approved);
        assertThat(api.get("/api/claims/" + claimId + "/events").body()).contains(claimed, approved);
    }

    @Test
    void anUnknownClaimIsA404AndAMalformedIdA400() throws Exception {
        HttpResponse<String> unknown = api.get("/api/claims/CLM-NOSUCH00");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> malformed = api.get("/api/claims/claim-42");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(fields(json(malformed))).containsExactly("claimId");

        assertThat(api.get("/api/claims/CLM-NOSUCH00/events").statusCode()).isEqualTo(404);
    }

    @Test
    void asOfGivesTheClaimAsItWasBeforeBetweenAndAfterItsEvents() throws Exception {
        String claimId = submitClaim();
        api.post("/api/claims/" + claimId + "/events", ASSIGNMENT);
        JsonNode events = json(api.get("/api/claims/" + claimId + "/events")).get("events");
        Instant submittedAt = Instant.parse(events.get(0).get("timestamp").asText());
        Instant assignedAt = Instant.parse(events.get(1).get("timestamp").asText());

        HttpResponse<String> before = api.get("/api/claims/" + claimId + "?asOf=" + submittedAt.minusMillis(1));
        JsonNode between = json(api.get("/api/claims/" + claimId + "?asOf=" + submittedAt));
        JsonNode after = json(api.get("/api/claims/" + claimId + "?asOf=" + assignedAt.plusSeconds(60)));

        assertThat(before.statusCode()).isEqualTo(404);
        assertThat(between.get("status").asText()).isEqualTo("submitted");
        assertThat(between.get("version").asLong()).isEqualTo(1);
        assertThat(after.get("status").asText()).isEqualTo("assigned");
        assertThat(after.get("version").asLong()).isEqualTo(2);
        assertThat(after.get("assigneeId").asText()).isEqualTo("ADJ-042");

        HttpResponse<String> badAsOf = api.get("/api/claims/" + claimId + "?asOf=yesterday");
        assertThat(badAsOf.statusCode()).isEqualTo(400);
        assertThat(fields(json(badAsOf))).containsExactly("asOf");
    }

    // --- GET /api/claims/{claimId}/events ---

    @Test
    void theAuditTrailListsEveryEventInOrderWithItsClaimVersion() throws Exception {
        String claimId = submitClaim();
        api.post("/api/claims/" + claimId + "/events", ASSIGNMENT);
        api.post("/api/claims/" + claimId + "/events", """
                {"eventType":"claim.document.uploaded","data":{"documentId":"DOC-1","documentType":"photo",
                 "fileName":"rear.jpg","uploadedBy":"ada@example.com"}}""");

        HttpResponse<String> response = api.get("/api/claims/" + claimId + "/events");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode trail = json(response);
        assertThat(trail.get("version").asLong()).isEqualTo(3);
        List<String> types = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        trail.get("events").forEach(event -> {
            types.add(event.get("eventType").asText());
            versions.add(event.get("claimVersion").asLong());
            assertThat(event.get("claimId").asText()).isEqualTo(claimId);
            assertThat(event.get("version").asText()).isEqualTo("1.0");
            assertThat(event.has("eventId") && event.has("timestamp") && event.has("data")).isTrue();
        });
        assertThat(types).containsExactly("claim.submitted", "claim.assigned", "claim.document.uploaded");
        assertThat(versions).containsExactly(1L, 2L, 3L);
    }

    // --- the rest ---

    @Test
    void anUnknownRouteIsA404Problem() throws Exception {
        HttpResponse<String> response = api.get("/api/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("detail").asText()).contains("/api/nothing-here");
    }

    @Test
    void theOpenApiDocumentListsThePaths() throws Exception {
        HttpResponse<String> response = api.get("/api/openapi.json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode paths = json(response).get("paths");
        List<String> names = new ArrayList<>();
        paths.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("/api/claims", "/api/claims/{claimId}", "/api/claims/{claimId}/events");
    }

    private static String submitClaim() throws Exception {
        HttpResponse<String> response = api.post("/api/claims", SUBMISSION);
        assertThat(response.statusCode()).isEqualTo(202);
        return json(response).get("claimId").asText();
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    private static long claimStreamLength(String claimId) {
        Long length = REDIS.opsForStream().size("claim:{" + claimId + "}:events");
        return length == null ? 0 : length;
    }

    private static long globalLength() {
        Long length = REDIS.opsForStream().size(STREAM);
        return length == null ? 0 : length;
    }
}
