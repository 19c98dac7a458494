package io.claimshub.api;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What the REST API accepts, on the real hub over HTTP: whatever it accepts it can read back, nothing is silently
 * changed on the way in (duplicate keys, bytes that are not the declared charset), and an Idempotency-Key is
 * honoured as the IETF draft has it (a different payload is a 422, a twin still in flight a 409).
 */
@Tag("redis")
class ClaimsApiInputTest {

    private static final String STREAM = TestRedis.uniqueKey("api-input-events");
    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SUBMISSION = """
            {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
             "description":"Rear-ended at a traffic light","amountClaimed":{"amount":1500.00,"currency":"EUR"},
             "claimant":{"name":"Ada Lovelace","email":"ada@example.com","phone":"+447700900123"},
             "region":"eu-west","priority":"normal"}""";

    private static TestHub hub;
    private static String base;

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "api-input-test",
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml")));
        base = hub.apiBase();
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
        REDIS.delete(List.of(STREAM, STREAM + ":dlq"));
    }

    // --- what is accepted can be read back ---

    @Test
    void anAmountOf1e1000IsA400AtPostAndNothingUnreadableIsStored() throws Exception {
        long globalBefore = globalLength();

        HttpResponse<String> response = post("/api/claims", SUBMISSION.replace("1500.00", "1e1000"));

        // whatever was accepted must be readable: never a 500 when the claim is read back
        if (response.statusCode() == 202) {
            String claimId = json(response).get("claimId").asText();
            assertThat(get("/api/claims/" + claimId).statusCode()).isEqualTo(200);
            assertThat(get("/api/claims/" + claimId + "/events").statusCode()).isEqualTo(200);
        }
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fields(json(response))).containsExactly("amountClaimed.amount");
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void anAmountOf1e10000IsA400AndLeavesTheIdempotencyKeyFree() throws Exception {
        String key = "huge-" + UUID.randomUUID();

        HttpResponse<String> refused = post("/api/claims", SUBMISSION.replace("1500.00", "1e10000"),
                "Idempotency-Key", key);
        HttpResponse<String> valid = post("/api/claims", SUBMISSION, "Idempotency-Key", key);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(fields(json(refused))).containsExactly("amountClaimed.amount");
        assertThat(valid.statusCode()).isEqualTo(202);
    }

    @Test
    void anAmountOverTheMaximumOrFinerThanTheCurrencysMinorUnitIsA400() throws Exception {
        assertThat(fields(json(post("/api/claims", SUBMISSION.replace("1500.00", "1000000000000.01")))))
                .containsExactly("amountClaimed.amount");
        assertThat(fields(json(post("/api/claims", SUBMISSION.replace("1500.00", "1500.001")))))
                .containsExactly("amountClaimed.amount");
    }

    @Test
    void dataNested998LevelsDeepIsRefusedAtPost() throws Exception {
        String claimId = json(post("/api/claims", SUBMISSION)).get("claimId").asText();
        String deep = "{\"eventType\":\"claim.document.uploaded\",\"data\":{\"documentId\":\"DOC-1\","
                + "\"documentType\":\"photo\",\"fileName\":\"rear.jpg\",\"uploadedBy\":\"ada@example.com\",\"x\":"
                + "{\"a\":".repeat(998) + "1" + "}".repeat(998) + "}}";

        HttpResponse<String> response = post("/api/claims/" + claimId + "/events", deep);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(fields(json(response))).singleElement().asString().startsWith("data.x.a");
        assertThat(get("/api/claims/" + claimId + "/events").statusCode()).isEqualTo(200);
        assertThat(json(get("/api/claims/" + claimId + "/events")).get("version").asLong()).isEqualTo(1);
    }

    // --- nothing silently changed on the way in ---

    @Test
    void duplicateKeysAreA400() throws Exception {
        long globalBefore = globalLength();

        HttpResponse<String> type = post("/api/claims", SUBMISSION.replace("\"claimType\":\"auto\"",
                "\"claimType\":\"boat\",\"claimType\":\"auto\""));
        HttpResponse<String> amount = post("/api/claims", SUBMISSION.replace("\"amount\":1500.00",
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

        HttpResponse<String> notUtf8 = post("/api/claims", latin1, "application/json");
        HttpResponse<String> badByte = post("/api/claims", invalid, "application/json");
        HttpResponse<String> surrogate = post("/api/claims", SUBMISSION.replace("traffic light", "\\ud800"));

        for (HttpResponse<String> response : List.of(notUtf8, badByte, surrogate)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(fields(json(response))).containsExactly("description");
        }
        assertThat(globalLength()).isEqualTo(globalBefore);
    }

    @Test
    void aDeclaredCharsetIsHonoured() throws Exception {
        byte[] latin1 = SUBMISSION.replace("traffic light", "café").getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = post("/api/claims", latin1, "application/json; charset=ISO-8859-1");

        assertThat(response.statusCode()).isEqualTo(202);
        String claimId = json(response).get("claimId").asText();
        JsonNode events = json(get("/api/claims/" + claimId + "/events")).get("events");
        assertThat(events.get(0).get("data").get("description").asText()).isEqualTo("Rear-ended at a café");
    }

    @Test
    void aBlankDescriptionAndAnIncidentInTheYear0000AreA400() throws Exception {
        assertThat(fields(json(post("/api/claims", SUBMISSION.replace("Rear-ended at a traffic light", " \\t ")))))
                .containsExactly("description");
        assertThat(fields(json(post("/api/claims", SUBMISSION.replace("2026-02-27", "0000-02-27")))))
                .containsExactly("incidentDate");
    }

    // --- Idempotency-Key ---

    @Test
    void theSameKeyWithADifferentPayloadIsA422AndTheSameOneAnswersTheFirstResult() throws Exception {
        String key = "payload-" + UUID.randomUUID();
        HttpResponse<String> first = post("/api/claims", SUBMISSION, "Idempotency-Key", key);

        HttpResponse<String> other = post("/api/claims", SUBMISSION.replace("POL-123456", "POL-999999"),
                "Idempotency-Key", key);
        HttpResponse<String> retry = post("/api/claims", SUBMISSION, "Idempotency-Key", key);

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
                    return post("/api/claims", body, "Idempotency-Key", key);
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

        HttpResponse<String> invalid = post("/api/claims", SUBMISSION.replace("ada@example.com", "nobody"),
                "Idempotency-Key", key);

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(post("/api/claims", SUBMISSION, "Idempotency-Key", key).statusCode()).isEqualTo(202);
    }

    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, byte[] body, String contentType) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return EventJson.parse(response.body(), "response");
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    private static long globalLength() {
        Long length = REDIS.opsForStream().size(STREAM);
        return length == null ? 0 : length;
    }
}
