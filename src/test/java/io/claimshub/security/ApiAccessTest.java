package io.claimshub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each role against each endpoint of the API and the management port: allowed (neither 401 nor 403), 403 outside
 * the role, 401 without credentials or with an unknown key. The expectations are this test's own table, written from
 * the roles, not read from {@link AccessPolicy}. Also: an adjuster and the claims of another adjuster; which
 * event types a role may push; the actor of events; the access audit trail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAccessTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String SUBMISSION = """
            {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
             "description":"Rear-ended at a traffic light","amountClaimed":{"amount":1500.00,"currency":"EUR"},
             "claimant":{"name":"Ada Lovelace","email":"ada@example.com","phone":"+447700900123"},
             "region":"eu-west","priority":"normal"}""";

    /** Callers of the table: one key per role, the adjuster's being the assignee of the test's claim. */
    enum Who { INTAKE, ADJUSTER, SUPERVISOR, OPS, AUDITOR, NO_CREDENTIALS, UNKNOWN_KEY }

    private static final Set<Who> EVERY_ROLE = EnumSet.of(Who.INTAKE, Who.ADJUSTER, Who.SUPERVISOR, Who.OPS,
            Who.AUDITOR);

    private final String stream = TestRedis.uniqueKey("access-events");
    private final String namespace = TestRedis.uniqueKey("access");
    private TestHub hub;
    private final Map<Who, String> keys = new LinkedHashMap<>();
    private String claimId;
    private String assignee;
    private String otherAdjusterKey;

    @BeforeAll
    void bootHubWithAKeyPerRole() throws Exception {
        hub = TestHub.start(Map.of("hub.events.stream", stream, "hub.ingest.enabled", "false",
                "hub.security.namespace", namespace));
        ApiKeys apiKeys = new ApiKeys(TestRedis.template(), new SecurityKeys(namespace), Clock.systemUTC(), 0);
        keys.put(Who.INTAKE, apiKeys.create("intake", EnumSet.of(Role.INTAKE), null));
        keys.put(Who.SUPERVISOR, apiKeys.create("supervisor", EnumSet.of(Role.SUPERVISOR), null));
        keys.put(Who.OPS, apiKeys.create("ops", EnumSet.of(Role.OPS), null));
        keys.put(Who.AUDITOR, apiKeys.create("auditor", EnumSet.of(Role.AUDITOR), null));
        keys.put(Who.UNKNOWN_KEY, ApiKeys.newKey());
        // a claim, assigned by the processors; the adjuster key acts as its assignee
        HttpResponse<String> submitted = send("POST", "/api/claims", keys.get(Who.INTAKE), SUBMISSION);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        claimId = json(submitted).get("claimId").asText();
        JsonNode assigned = await().atMost(Duration.ofSeconds(30)).until(
                () -> json(send("GET", "/api/claims/" + claimId, keys.get(Who.SUPERVISOR), null)),
                claim -> "assigned".equals(claim.path("status").asText()));
        assignee = assigned.get("assigneeId").asText();
        keys.put(Who.ADJUSTER, apiKeys.create("adjuster", EnumSet.of(Role.ADJUSTER), assignee));
        otherAdjusterKey = apiKeys.create("other-adjuster", EnumSet.of(Role.ADJUSTER), "ADJ-SOMEONE-ELSE");
    }

    @AfterAll
    void stop() {
        TestHub.stop(hub, stream);
        TestRedis.template().delete(List.of(new SecurityKeys(namespace).apiKeys(),
                new SecurityKeys(namespace).accessAudit()));
    }

    /** method, path (CLAIM = the test's claim), body, port (api or management), who may. */
    record Endpoint(String method, String path, String body, boolean management, Set<Who> allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static Endpoint api(String method, String path, String body, Who... allowed) {
        return new Endpoint(method, path, body, false, allowed.length == 0 ? EnumSet.noneOf(Who.class)
                : EnumSet.copyOf(List.of(allowed)));
    }

    static List<Endpoint> endpoints() {
        String doc = "{\"eventType\":\"claim.document.uploaded\",\"data\":{}}";
        List<Endpoint> list = new ArrayList<>(List.of(
                api("POST", "/api/claims", "{}", Who.INTAKE, Who.SUPERVISOR),
                api("GET", "/api/claims/CLAIM", null, Who.INTAKE, Who.ADJUSTER, Who.SUPERVISOR, Who.AUDITOR),
                api("GET", "/api/claims/CLAIM?asOf=2026-01-01T00:00:00Z", null, Who.INTAKE, Who.ADJUSTER,
                        Who.SUPERVISOR, Who.AUDITOR),
                api("GET", "/api/claims/CLAIM/events", null, Who.ADJUSTER, Who.SUPERVISOR, Who.AUDITOR),
                api("POST", "/api/claims/CLAIM/events", doc, Who.INTAKE, Who.ADJUSTER, Who.SUPERVISOR),
                api("GET", "/api/claims/CLAIM/notifications", null, Who.ADJUSTER, Who.SUPERVISOR, Who.AUDITOR,
                        Who.OPS),
                api("GET", "/api/sla/breaches", null, Who.SUPERVISOR, Who.OPS, Who.AUDITOR),
                api("GET", "/api/assignment/unassigned", null, Who.SUPERVISOR, Who.OPS),
                api("GET", "/api/analytics/daily/2026-01-01", null, Who.SUPERVISOR, Who.AUDITOR),
                api("GET", "/api/analytics/hourly/2026-01-01", null, Who.SUPERVISOR, Who.AUDITOR),
                api("GET", "/api/analytics/processing-times/2026-01-01", null, Who.SUPERVISOR, Who.AUDITOR),
                api("GET", "/api/analytics/leaderboards/adjusters-decision-time", null, Who.SUPERVISOR, Who.AUDITOR),
                api("GET", "/api/analytics/rebuild", null, Who.OPS),
                api("POST", "/api/analytics/rebuild", "not json", Who.OPS),
                api("GET", "/api/reports/compliance/2026-01-01", null, Who.AUDITOR),
                api("GET", "/api/audit?limit=1", null, Who.AUDITOR),
                api("GET", "/api/ops/dead-letters", null, Who.OPS),
                api("GET", "/api/ops/dead-letters/0-1", null, Who.OPS),
                api("POST", "/api/ops/dead-letters/0-1/replay", "{}", Who.OPS),
                api("POST", "/api/ops/dead-letters/replay", "{}", Who.OPS),
                api("POST", "/api/ops/dead-letters/0-1/discard", "{}", Who.OPS),
                api("POST", "/api/ops/groups/analytics/position", "{}", Who.OPS),
                api("GET", "/api/ops/streams", null, Who.OPS),
                api("POST", "/api/ops/replays", "{}", Who.OPS),
                api("GET", "/api/ops/snapshots/consistency", null, Who.OPS),
                api("POST", "/api/ops/snapshots/rebuild", "{}", Who.OPS),
                api("GET", "/api/openapi.json", null, Who.INTAKE, Who.ADJUSTER, Who.SUPERVISOR, Who.OPS,
                        Who.AUDITOR),
                // no operation at all: 404 for any authenticated caller, 401 for the others
                api("GET", "/api/not-an-endpoint", null, Who.INTAKE, Who.ADJUSTER, Who.SUPERVISOR, Who.OPS,
                        Who.AUDITOR),
                new Endpoint("GET", "/observe/metrics", null, true, EnumSet.of(Who.OPS)),
                new Endpoint("GET", "/observe/health", null, true, EnumSet.allOf(Who.class))));
        return list;
    }

    Stream<Arguments> everyCallerAgainstEveryEndpoint() {
        return endpoints().stream().flatMap(endpoint -> Stream.of(Who.values()).map(who -> Arguments.of(endpoint, who)));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("everyCallerAgainstEveryEndpoint")
    void eachRoleAgainstEachEndpoint(Endpoint endpoint, Who who) throws Exception {
        String path = endpoint.path().replace("CLAIM", claimId);
        String base = endpoint.management() ? hub.managementBase() : hub.apiBase();
        HttpResponse<String> response = send(endpoint.method(), base, path, keys.get(who), endpoint.body());

        if (endpoint.allowed().contains(who)) {
            assertThat(response.statusCode()).as(who + " " + endpoint + ": " + response.body()).isNotIn(401, 403);
        } else if (who == Who.NO_CREDENTIALS || who == Who.UNKNOWN_KEY) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString()
                    .contains("Bearer", "ApiKey");
            assertProblem(response);
        } else {
            assertThat(response.statusCode()).as(who + " " + endpoint + ": " + response.body()).isEqualTo(403);
            assertProblem(response);
        }
    }

    @Test
    void everyRestOperationOfTheHubHasARowInTheAccessTable() {
        List<String[]> operations = new ArrayList<>();
        for (var rest : ((org.apache.camel.model.ModelCamelContext) hub.context()).getRestDefinitions()) {
            for (var verb : rest.getVerbs()) {
                operations.add(new String[] {verb.asVerb(), rest.getPath() + (verb.getPath() == null ? "" : verb.getPath())});
            }
        }
        assertThat(operations).hasSizeGreaterThanOrEqualTo(25);
        assertThat(AccessPolicy.unlisted(operations)).isEmpty();
        // and one without a row would be refused for everybody
        assertThat(AccessPolicy.unlisted(List.<String[]>of(new String[] {"get", "/api/secret/{id}"})))
                .singleElement().satisfies(rule -> assertThat(rule.allows(new Caller("key:x", Role.all(), null))).isFalse());
    }

    @Test
    void anAdjusterCannotReadOrDecideAnotherAdjustersClaim() throws Exception {
        String approve = "{\"eventType\":\"claim.approved\",\"data\":{}}";
        for (String path : List.of("/api/claims/" + claimId, "/api/claims/" + claimId + "/events",
                "/api/claims/" + claimId + "/notifications")) {
            assertThat(send("GET", path, otherAdjusterKey, null).statusCode()).as(path).isEqualTo(403);
            assertThat(send("GET", path, keys.get(Who.ADJUSTER), null).statusCode()).as(path).isEqualTo(200);
        }
        HttpResponse<String> other = send("POST", "/api/claims/" + claimId + "/events", otherAdjusterKey, approve);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
        assertThat(json(other).get("detail").asText()).contains("not assigned to adjuster ADJ-SOMEONE-ELSE");
        // the assignee gets past the check: its request is judged on its content (the data is incomplete)
        assertThat(send("POST", "/api/claims/" + claimId + "/events", keys.get(Who.ADJUSTER), approve).statusCode())
                .isEqualTo(400);
    }

    @Test
    void eachRolePushesOnlyItsEventTypes() throws Exception {
        // valid shape, refused by role before the claim is looked at
        String approve = "{\"eventType\":\"claim.approved\",\"data\":{\"approvedAmount\":{\"amount\":1.00,"
                + "\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-X\"}}";
        String assign = "{\"eventType\":\"claim.assigned\",\"data\":{\"adjusterId\":\"ADJ-X\",\"adjusterName\":\"X\","
                + "\"assignedAt\":\"2026-03-02T09:05:00Z\",\"slaDeadline\":\"2026-03-04T09:05:00Z\"}}";
        HttpResponse<String> intakeApproves = send("POST", "/api/claims/" + claimId + "/events",
                keys.get(Who.INTAKE), approve);
        assertThat(intakeApproves.statusCode()).as(intakeApproves.body()).isEqualTo(403);
        assertThat(json(intakeApproves).get("detail").asText()).contains("claim.approved may be pushed by");
        assertThat(send("POST", "/api/claims/" + claimId + "/events", keys.get(Who.ADJUSTER), assign).statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/api/claims/" + claimId + "/events", keys.get(Who.SUPERVISOR), assign).statusCode())
                .isNotIn(401, 403);
    }

    @Test
    void eventsCarryTheActorTheHubAuthenticatedNeverOneFromTheBody() throws Exception {
        String withActor = SUBMISSION.replace("\"priority\":\"normal\"}", "\"priority\":\"normal\",\"actor\":\"mallory\"}");
        HttpResponse<String> submitted = send("POST", "/api/claims", keys.get(Who.INTAKE), withActor);
        // a body's actor is data at most, never who did it
        if (submitted.statusCode() == 202) {
            String id = json(submitted).get("claimId").asText();
            JsonNode events = await().atMost(Duration.ofSeconds(30)).until(
                    () -> json(send("GET", "/api/claims/" + id + "/events", keys.get(Who.AUDITOR), null)).get("events"),
                    list -> list.size() >= 2);
            assertThat(events.get(0).get("actor").asText()).isEqualTo("key:intake");
            assertThat(events.get(1).get("eventType").asText()).isEqualTo("claim.assigned");
            assertThat(events.get(1).get("actor").asText()).isEqualTo("system:processors");
        } else {
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(400);
        }
        // a pushed event's top-level actor is refused
        HttpResponse<String> pushed = send("POST", "/api/claims/" + claimId + "/events", keys.get(Who.SUPERVISOR),
                "{\"eventType\":\"claim.document.uploaded\",\"actor\":\"mallory\",\"data\":{}}");
        assertThat(pushed.statusCode()).isEqualTo(400);
        assertThat(pushed.body()).contains("actor");
        // and the claim's own first event names the intake key
        JsonNode history = json(send("GET", "/api/claims/" + claimId + "/events", keys.get(Who.SUPERVISOR), null));
        assertThat(history.get("events").get(0).get("actor").asText()).isEqualTo("key:intake");
        for (JsonNode event : history.get("events")) {
            assertThat(event.get("actor").asText()).isNotEqualTo("mallory");
        }
    }

    @Test
    void everyRequestIsInTheAuditTrailWithoutItsBodyReadableByTheAuditorAndFiltered() throws Exception {
        String marker = "/api/claims/" + claimId;
        send("GET", marker, keys.get(Who.SUPERVISOR), null);
        send("GET", marker, null, null);
        send("POST", marker + "/events", keys.get(Who.INTAKE),
                "{\"eventType\":\"claim.document.uploaded\",\"data\":{\"secret\":\"Ada Lovelace\"}}");

        JsonNode trail = await().atMost(Duration.ofSeconds(10)).until(
                () -> json(send("GET", "/api/audit?limit=1000&claimId=" + claimId, keys.get(Who.AUDITOR), null)),
                page -> page.get("entries").size() >= 3 && hasEntry(page, "POST", "key:intake"));

        for (JsonNode entry : trail.get("entries")) {
            assertThat(entry.get("claimId").asText()).isEqualTo(claimId);
            List<String> fields = new ArrayList<>();
            entry.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactlyInAnyOrder("id", "at", "subject", "roles", "method", "path", "claimId",
                    "status", "source");
            assertThat(entry.toString()).doesNotContain("Ada", "Lovelace", "secret", "ada@example.com");
        }
        assertThat(hasEntry(trail, "GET", "key:supervisor")).isTrue();
        assertThat(trail.get("entries")).anySatisfy(entry -> {
            assertThat(entry.get("subject").asText()).isEqualTo("-");
            assertThat(entry.get("status").asText()).isEqualTo("401");
            assertThat(entry.get("source").asText()).isEqualTo("127.0.0.1");
        });
        assertThat(trail.get("entries")).anySatisfy(entry -> {
            assertThat(entry.get("subject").asText()).isEqualTo("key:supervisor");
            assertThat(entry.get("roles").asText()).isEqualTo("supervisor");
            assertThat(entry.get("path").asText()).isEqualTo(marker);
            assertThat(entry.get("status").asText()).isEqualTo("200");
        });

        JsonNode bySubject = json(send("GET", "/api/audit?limit=1000&subject=key:supervisor&claimId=" + claimId,
                keys.get(Who.AUDITOR), null));
        assertThat(bySubject.get("entries")).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.get("subject").asText()).isEqualTo("key:supervisor"));
        JsonNode future = json(send("GET", "/api/audit?from=2999-01-01T00:00:00Z&claimId=" + claimId,
                keys.get(Who.AUDITOR), null));
        assertThat(future.get("entries")).isEmpty();
        JsonNode past = json(send("GET", "/api/audit?to=2000-01-01T00:00:00Z", keys.get(Who.AUDITOR), null));
        assertThat(past.get("entries")).isEmpty();
        assertThat(send("GET", "/api/audit?from=yesterday", keys.get(Who.AUDITOR), null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/audit", keys.get(Who.SUPERVISOR), null).statusCode()).isEqualTo(403);
    }

    private static boolean hasEntry(JsonNode page, String method, String subject) {
        for (JsonNode entry : page.get("entries")) {
            if (entry.get("method").asText().equals(method) && entry.get("subject").asText().equals(subject)) {
                return true;
            }
        }
        return false;
    }

    private static void assertProblem(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("status").asInt()).isEqualTo(response.statusCode());
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        return send(method, hub.apiBase(), path, key, body);
    }

    static HttpResponse<String> send(String method, String base, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        return EventJson.parse(response.body(), "response");
    }
}
