package io.claimshub.integration;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A booted hub with a policy database of the test's choosing and one adjuster who takes every claim (authority far
 * above the claims), and what the policy tests do to it: submit claims over the API, hand their claim.submitted log
 * entries to the policy adapter's work stream (as the integrations group does), read claims and approve them.
 */
final class PolicyHub implements AutoCloseable {

    static final StringRedisTemplate REDIS = TestRedis.template();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ROSTER = """
            adjusters:
              - id: ADJ-P1
                name: Paula Policy
                email: paula@claimshub.example
                phone: "+41 44 555 09 01"
                claimTypes: [auto, property, health, liability, travel]
                regions: ["*"]
                seniority: SENIOR
                authorityLimit: 1000000.00
                maxOpenClaims: 10000
            """;

    final String stream = TestRedis.uniqueKey("policy-events");
    final String namespace = TestRedis.uniqueKey("policy");
    final IntegrationKeys keys = new IntegrationKeys(namespace);
    final TestHub hub;

    PolicyHub(Path dir, String jdbcUrl, String user, Map<String, String> more) throws Exception {
        Path roster = Files.writeString(dir.resolve("adjusters.yaml"), ROSTER);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hub.events.stream", stream);
        settings.put("hub.consumer.name", "policy-test");
        settings.put("hub.processing.roster-file", roster.toString());
        settings.put("hub.integrations.namespace", namespace);
        settings.put("hub.policy.jdbc-url", jdbcUrl);
        settings.put("hub.policy.user", user);
        settings.put("hub.policy.schema-init", "never");
        settings.put("hub.policy.enabled", "true");
        settings.putAll(more);
        hub = TestHub.start(settings);
        // the tests hand submissions to the policy adapter themselves, one at a time and when they choose; the
        // integrations group, which hands every submission to it too, is stopped
        hub.context().getRouteController().stopRoute("integrations");
    }

    /** Submits an auto claim of {@code amount} EUR under the policy (incident ten days ago); its id. */
    String submit(String policyNumber, String amount) throws Exception {
        String body = """
                {"policyNumber":"%s","claimType":"auto","incidentDate":"%s","description":"Rear-ended",
                 "amountClaimed":{"amount":%s,"currency":"EUR"},
                 "claimant":{"name":"Ada Lovelace","email":"ada-%s@example.com","phone":"+447700900123"},
                 "region":"north","priority":"normal"}""".formatted(policyNumber, PolicyDatabases.incidentDate(),
                amount, UUID.randomUUID());
        HttpResponse<String> response = post("/api/claims", body);
        if (response.statusCode() != 202) {
            throw new IllegalStateException("submission refused: " + response.body());
        }
        return json(response).get("claimId").asText();
    }

    /** The claim's claim.submitted entry of the log, copied verbatim into the policy-checks stream (XADD). */
    void handToPolicyAdapter(String claimId) {
        Map<String, String> fields = submittedLogEntry(claimId);
        REDIS.opsForStream().add(StreamRecords.newRecord().in(keys.policyChecks()).ofMap(fields));
    }

    Map<String, String> submittedLogEntry(String claimId) {
        List<MapRecord<String, Object, Object>> log = REDIS.opsForStream().range(stream, Range.unbounded());
        for (MapRecord<String, Object, Object> entry : log) {
            if (claimId.equals(entry.getValue().get("claimId"))
                    && "claim.submitted".equals(entry.getValue().get("eventType"))) {
                Map<String, String> fields = new LinkedHashMap<>();
                entry.getValue().forEach((k, v) -> fields.put(k.toString(), v.toString()));
                return fields;
            }
        }
        throw new IllegalStateException("no claim.submitted entry for " + claimId + " in the log");
    }

    JsonNode claim(String claimId) throws Exception {
        return json(get("/api/claims/" + claimId));
    }

    JsonNode awaitAssigned(String claimId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> claim(claimId),
                c -> "assigned".equals(c.path("status").asText()));
    }

    JsonNode awaitPolicyChecked(String claimId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> claim(claimId),
                c -> !"pending".equals(c.path("policyCheck").asText()));
    }

    /** The claim's claim.policy.checked events, from its own stream. */
    List<JsonNode> policyEvents(String claimId) throws Exception {
        JsonNode events = json(get("/api/claims/" + claimId + "/events")).get("events");
        List<JsonNode> checks = new java.util.ArrayList<>();
        events.forEach(e -> {
            if ("claim.policy.checked".equals(e.get("eventType").asText())) {
                checks.add(e);
            }
        });
        return checks;
    }

    HttpResponse<String> approve(String claimId, String amount) throws Exception {
        return post("/api/claims/" + claimId + "/events", """
                {"eventType":"claim.approved","data":{"approvedAmount":{"amount":%s,"currency":"EUR"},
                 "approvedBy":"ADJ-P1"}}""".formatted(new BigDecimal(amount).toPlainString()));
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-API-Key", TestHub.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).timeout(Duration.ofSeconds(20))
                .header("X-API-Key", TestHub.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    String metrics() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.managementBase() + "/observe/metrics"))
                .header("X-API-Key", TestHub.API_KEY).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static JsonNode json(HttpResponse<String> response) {
        return EventJson.parse(response.body(), "response");
    }

    @Override
    public void close() {
        TestHub.stop(hub, stream);
        REDIS.delete(keys.policyChecks());
    }
}
