package io.claimshub.api;

import static io.claimshub.api.ClaimsApiClient.json;
import static io.claimshub.api.ClaimRequests.SUBMISSION;
import static io.claimshub.testsupport.TestFiles.testResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The operations endpoints (SLA breaches, the unassigned queue), the SLA fields of a claim and the unassigned-queue
 * metric, on the real hub booted through Camel Main against a real Redis. Every adjuster on the roster is filled to
 * the cap first, so every claim waits in the queue until a test assigns it by pushing {@code claim.assigned}; the SLA
 * timer runs every 200 ms.
 */
@Tag("redis")
class OperationsApiTest {

    private static final String STREAM = TestRedis.uniqueKey("ops-api-events");
    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern UNASSIGNED_GAUGE =
            Pattern.compile("(?m)^claimshub_claims_unassigned(?:\\{[^}]*})? ([0-9.eE+-]+)$");

    private static TestHub hub;
    private static ClaimsApiClient api;
    private static String base;
    private static String management;

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "ops-api-test",
                "hub.consumer.block", "200",
                "hub.processing.roster-file", testResource(BusyAdjusters.ROSTER),
                "hub.sla.check-interval", "200"));
        api = new ClaimsApiClient(hub.apiBase());
        base = hub.apiBase();
        BusyAdjusters.fill(base, SUBMISSION);
        management = hub.managementBase();
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
    }

    // --- GET /api/sla/breaches ---

    @Test
    void aBreachTheSchedulerRaisedIsListedNewestFirst() throws Exception {
        // given two claims assigned with deadlines already past, the second one after the first has been breached
        Instant firstDeadline = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String first = submitClaim();
        assertThat(api.post("/api/claims/" + first + "/events", assignment("ADJ-101", firstDeadline)).statusCode())
                .isEqualTo(202);
        await().atMost(WAIT).until(() -> breachedClaims(50).contains(first));
        String second = submitClaim();
        assertThat(api.post("/api/claims/" + second + "/events",
                assignment("ADJ-102", firstDeadline.plusSeconds(60))).statusCode()).isEqualTo(202);

        // expect both listed, the later breach first, with the adjuster and the missed deadline
        await().atMost(WAIT).until(() -> breachedClaims(50).contains(second));
        HttpResponse<String> response = api.get("/api/sla/breaches");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        List<String> ids = breachedClaims(50);
        assertThat(ids.indexOf(second)).isLessThan(ids.indexOf(first));
        JsonNode breach = breachOf(json(response), first);
        assertThat(breach.get("adjusterId").asText()).isEqualTo("ADJ-101");
        assertThat(Instant.parse(breach.get("slaDeadline").asText())).isEqualTo(firstDeadline);
        assertThat(Instant.parse(breach.get("breachedAt").asText())).isAfter(firstDeadline);

        // and limit=1 lists only the latest
        JsonNode latest = json(api.get("/api/sla/breaches?limit=1")).get("breaches");
        assertThat(latest).hasSize(1);
        assertThat(latest.get(0).get("claimId").asText()).isEqualTo(ids.get(0));
    }

    @Test
    void aBreachedClaimShowsItsDeadlineAndNegativeRemainingTime() throws Exception {
        Instant deadline = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String claimId = submitClaim();
        api.post("/api/claims/" + claimId + "/events", assignment("ADJ-103", deadline));

        await().atMost(WAIT).until(() -> json(api.get("/api/claims/" + claimId)).has("slaBreachedAt"));

        JsonNode claim = json(api.get("/api/claims/" + claimId));
        assertThat(claim.get("status").asText()).isEqualTo("assigned");
        assertThat(Instant.parse(claim.get("slaDeadline").asText())).isEqualTo(deadline);
        assertThat(claim.get("slaRemainingSeconds").asLong()).isLessThanOrEqualTo(-600);
    }

    @Test
    void anAssignedClaimShowsItsDeadlineAndTheTimeLeftUntilItIsDecided() throws Exception {
        Instant deadline = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String claimId = submitClaim();
        JsonNode submitted = json(api.get("/api/claims/" + claimId));
        assertThat(submitted.has("slaDeadline")).isFalse();
        assertThat(submitted.has("slaRemainingSeconds")).isFalse();

        api.post("/api/claims/" + claimId + "/events", assignment("ADJ-104", deadline));

        JsonNode claim = json(api.get("/api/claims/" + claimId));
        assertThat(Instant.parse(claim.get("slaDeadline").asText())).isEqualTo(deadline);
        assertThat(claim.get("slaRemainingSeconds").asLong())
                .isBetween(Duration.ofDays(2).toSeconds() - 60, Duration.ofDays(2).toSeconds());
        // as of a past instant, the time left is counted from that instant
        Instant assignedAt = Instant.parse(json(api.get("/api/claims/" + claimId + "/events"))
                .get("events").get(1).get("timestamp").asText());
        JsonNode then = json(api.get("/api/claims/" + claimId + "?asOf=" + assignedAt));
        assertThat(then.get("slaRemainingSeconds").asLong())
                .isEqualTo(Duration.between(assignedAt, deadline).toSeconds());

        // a decision stops the SLA clock: the deadline stays, the time left goes
        assertThat(api.post("/api/claims/" + claimId + "/events", """
                {"eventType":"claim.rejected","data":{"reasonCode":"POLICY_EXCLUSION",
                 "reasonText":"Racing is not covered","rejectedBy":"ADJ-104"}}""").statusCode()).isEqualTo(202);
        JsonNode rejected = json(api.get("/api/claims/" + claimId));
        assertThat(rejected.get("status").asText()).isEqualTo("rejected");
        assertThat(Instant.parse(rejected.get("slaDeadline").asText())).isEqualTo(deadline);
        assertThat(rejected.has("slaRemainingSeconds")).isFalse();
    }

    // --- GET /api/assignment/unassigned ---

    @Test
    void aClaimNobodyCanTakeWaitsInTheQueueUntilItIsAssigned() throws Exception {
        String claimId = submitClaim();

        await().atMost(WAIT).until(() -> unassignedClaims().contains(claimId));
        HttpResponse<String> response = api.get("/api/assignment/unassigned");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode queue = json(response);
        assertThat(queue.get("count").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode waiting = null;
        for (JsonNode claim : queue.get("claims")) {
            if (claim.get("claimId").asText().equals(claimId)) {
                waiting = claim;
            }
        }
        assertThat(waiting).isNotNull();
        Instant submittedAt = Instant.parse(json(api.get("/api/claims/" + claimId)).get("submittedAt").asText());
        // the queue keeps the submission time to the millisecond
        assertThat(Instant.parse(waiting.get("submittedAt").asText()))
                .isEqualTo(submittedAt.truncatedTo(ChronoUnit.MILLIS));
        assertThat(waiting.get("waitingSeconds").asLong()).isBetween(0L, 60L);

        api.post("/api/claims/" + claimId + "/events", assignment("ADJ-105", Instant.now().plus(3, ChronoUnit.DAYS)));

        await().atMost(WAIT).until(() -> !unassignedClaims().contains(claimId));
    }

    @Test
    void theQueueIsListedOldestFirstAndLimitCapsTheListButNotTheCount() throws Exception {
        String older = submitClaim();
        await().atMost(WAIT).until(() -> unassignedClaims().contains(older));
        String newer = submitClaim();
        await().atMost(WAIT).until(() -> unassignedClaims().contains(newer));

        List<String> ids = unassignedClaims();
        assertThat(ids.indexOf(older)).isLessThan(ids.indexOf(newer));
        JsonNode one = json(api.get("/api/assignment/unassigned?limit=1"));
        assertThat(one.get("claims")).hasSize(1);
        assertThat(one.get("count").asLong()).isGreaterThanOrEqualTo(2);
    }

    // --- the metric ---

    @Test
    void theUnassignedQueueIsCountedOnTheMetricsEndpoint() throws Exception {
        String claimId = submitClaim();
        await().atMost(WAIT).until(() -> unassignedClaims().contains(claimId));

        // the gauge reads the same queue the API lists
        await().atMost(WAIT).untilAsserted(() -> {
            long count = json(api.get("/api/assignment/unassigned")).get("count").asLong();
            OptionalDouble gauge = unassignedGauge();
            assertThat(gauge).isPresent();
            assertThat(gauge.getAsDouble()).isEqualTo((double) count).isGreaterThanOrEqualTo(1.0);
        });
    }

    // --- bad limits, OpenAPI ---

    @Test
    void aLimitThatIsNotAWholeNumberFrom1To1000IsA400NamingLimit() throws Exception {
        for (String path : List.of("/api/sla/breaches", "/api/assignment/unassigned")) {
            for (String limit : List.of("", "0", "-1", "1001", "ten", "1.5", "99999999999")) {
                HttpResponse<String> response = api.get(path + "?limit=" + limit);
                assertThat(response.statusCode()).as(path + "?limit=" + limit).isEqualTo(400);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                JsonNode problem = json(response);
                assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("limit");
            }
            assertThat(api.get(path + "?limit=1000").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theOpenApiDocumentListsTheOperationsPaths() throws Exception {
        JsonNode paths = json(api.get("/api/openapi.json")).get("paths");
        List<String> names = new ArrayList<>();
        paths.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("/api/sla/breaches", "/api/assignment/unassigned", "/api/claims/{claimId}");
    }

    private static String assignment(String adjusterId, Instant slaDeadline) {
        // assigned well before the deadline, so a past deadline is still a valid assignment
        Instant assignedAt = slaDeadline.minus(1, ChronoUnit.DAYS);
        return """
                {"eventType":"claim.assigned","data":{"adjusterId":"%s","adjusterName":"Grace Hopper",
                 "assignedAt":"%s","slaDeadline":"%s"}}""".formatted(adjusterId, assignedAt, slaDeadline);
    }

    private static List<String> breachedClaims(int limit) throws Exception {
        List<String> ids = new ArrayList<>();
        json(api.get("/api/sla/breaches?limit=" + limit)).get("breaches")
                .forEach(breach -> ids.add(breach.get("claimId").asText()));
        return ids;
    }

    private static JsonNode breachOf(JsonNode listing, String claimId) {
        for (JsonNode breach : listing.get("breaches")) {
            if (breach.get("claimId").asText().equals(claimId)) {
                return breach;
            }
        }
        throw new AssertionError("no breach of " + claimId + " in " + listing);
    }

    private static List<String> unassignedClaims() throws Exception {
        List<String> ids = new ArrayList<>();
        json(api.get("/api/assignment/unassigned?limit=1000")).get("claims")
                .forEach(claim -> ids.add(claim.get("claimId").asText()));
        return ids;
    }

    private static OptionalDouble unassignedGauge() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(management + "/observe/metrics")).header("X-API-Key", TestHub.API_KEY)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Matcher matcher = UNASSIGNED_GAUGE.matcher(response.body());
        return matcher.find() ? OptionalDouble.of(Double.parseDouble(matcher.group(1))) : OptionalDouble.empty();
    }

    private static String submitClaim() throws Exception {
        HttpResponse<String> response = api.post("/api/claims", SUBMISSION);
        assertThat(response.statusCode()).isEqualTo(202);
        return json(response).get("claimId").asText();
    }
}
