package io.claimshub.payment;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.assignment.ProcessingFiles;
import io.claimshub.event.EventJson;
import io.claimshub.notification.NotificationConfigFiles;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Hubs with the payment adapter on one test Redis: their own events stream and namespaces, a roster with ADJ-01
 * (auto, north, senior) so claims are assigned and can be approved, notifications into files under the test's
 * directory. The integrations group is not on this branch: a test feeds the payments stream itself with the fields of
 * the real {@code claim.approved} log entries ({@link #feedApproval}).
 */
final class PaymentHub implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Map<String, String> settings = new LinkedHashMap<>();
    final String stream;
    final String namespace;
    final List<TestHub> hubs = new ArrayList<>();
    final StringRedisTemplate redis = TestRedis.template();

    PaymentHub(Path dir) {
        ProcessingFiles files = new ProcessingFiles(dir).writeRoster(List.of(
                ProcessingFiles.adjuster("ADJ-01", "auto", "north", "SENIOR", 1000)));
        stream = TestRedis.uniqueKey("events");
        namespace = TestRedis.uniqueKey("integ");
        settings.put("hub.events.stream", stream);
        settings.put("hub.integrations.namespace", namespace);
        settings.put("hub.notifications.namespace", TestRedis.uniqueKey("notif"));
        settings.put("hub.notifications.rules-file", NotificationConfigFiles.copyShipped(dir).toString());
        settings.put("hub.notifications.templates-dir", dir.resolve("templates").toString());
        settings.put("hub.mail.outbox-dir", dir.resolve("outbox/mail").toString());
        settings.put("hub.sms.outbox-file", dir.resolve("outbox/sms.jsonl").toString());
        settings.put("hub.webhook.outbox-file", dir.resolve("outbox/status-updates.jsonl").toString());
        settings.put("hub.processing.roster-file", files.roster.toString());
        settings.put("hub.processing.rules-file", files.rules.toString());
        settings.put("hub.processing.sla-file", files.sla.toString());
        settings.put("hub.ingest.enabled", "false");
        settings.put("hub.retention.enabled", "false");
        settings.put("hub.consumer.block", "200");
        settings.put("hub.consumer.background-read-delay", "0");
        settings.put("hub.consumer.claim-min-idle", "2000");
        settings.put("hub.consumer.claim-interval", "500");
        settings.put("hub.payment.mode", "file");
        settings.put("hub.payment.outbox-dir", dir.resolve("payments/outbox").toString());
        settings.put("hub.payment.inbox-dir", dir.resolve("payments/inbox").toString());
        settings.put("hub.payment.retry-delay", "100");
        settings.put("hub.payment.retry-max-delay", "500");
        settings.put("hub.payment.retries", "20");
        settings.put("hub.payment.breaker-open", "1");
    }

    PaymentHub with(String setting, String value) {
        settings.put(setting, value);
        return this;
    }

    /** Starts one more hub instance on the same Redis, stream and namespaces. */
    TestHub startInstance() throws Exception {
        TestHub hub = TestHub.start(settings);
        hubs.add(hub);
        return hub;
    }

    TestHub hub() {
        return hubs.get(0);
    }

    /** Submits a claim and waits until it is assigned; returns its id. */
    String assignedClaim(String amount) throws Exception {
        String body = """
                {"policyNumber":"POL-778899","claimType":"auto","incidentDate":"2026-02-27",
                 "description":"Rear-ended at a traffic light","amountClaimed":{"amount":%s,"currency":"EUR"},
                 "claimant":{"name":"Ada O'Brien","email":"ada.%s@example.com","phone":"+447700900123"},
                 "region":"north","priority":"normal"}""".formatted(amount,
                java.util.UUID.randomUUID().toString().substring(0, 8));
        HttpResponse<String> response = post("/api/claims", body, Map.of());
        if (response.statusCode() != 202) {
            throw new AssertionError("submission answered " + response.statusCode() + ": " + response.body());
        }
        String claimId = EventJson.parse(response.body(), "answer").get("claimId").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "assigned".equals(claim(claimId).path("status").asText()));
        return claimId;
    }

    /** An assigned claim approved for {@code amount} EUR by ADJ-01. */
    String approvedClaim(String amount) throws Exception {
        String claimId = assignedClaim(amount);
        HttpResponse<String> response = post("/api/claims/" + claimId + "/events", "{\"eventType\":\"claim.approved\","
                + "\"data\":{\"approvedAmount\":{\"amount\":" + amount + ",\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}}",
                Map.of());
        if (response.statusCode() != 202) {
            throw new AssertionError("approval answered " + response.statusCode() + ": " + response.body());
        }
        return claimId;
    }

    /** XADDs the fields of the claim's real claim.approved log entry to the payments stream, as the integrations group does. */
    void feedApproval(String claimId) {
        List<MapRecord<String, Object, Object>> log = redis.opsForStream().range(stream, Range.unbounded());
        Map<String, String> fields = log.stream()
                .filter(r -> claimId.equals(r.getValue().get("claimId")) && "claim.approved".equals(r.getValue().get("eventType")))
                .map(r -> {
                    Map<String, String> copy = new LinkedHashMap<>();
                    r.getValue().forEach((k, v) -> copy.put(k.toString(), v.toString()));
                    return copy;
                }).findFirst().orElseThrow(() -> new AssertionError("no claim.approved of " + claimId + " in the log"));
        redis.opsForStream().add(StreamRecords.mapBacked(fields).withStreamKey(paymentsStream()));
    }

    String paymentsStream() {
        return new PaymentKeys(namespace).paymentsStream();
    }

    JsonNode claim(String claimId) throws Exception {
        return EventJson.parse(get("/api/claims/" + claimId).body(), "claim");
    }

    /** The claim's events of that type, oldest first. */
    List<JsonNode> events(String claimId, String eventType) throws Exception {
        JsonNode answer = EventJson.parse(get("/api/claims/" + claimId + "/events").body(), "events");
        JsonNode list = answer.isArray() ? answer : answer.path("events");
        List<JsonNode> found = new ArrayList<>();
        list.forEach(e -> {
            if (eventType.equals(e.path("eventType").asText())) {
                found.add(e);
            }
        });
        return found;
    }

    int eventCount(String claimId) throws Exception {
        JsonNode answer = EventJson.parse(get("/api/claims/" + claimId + "/events").body(), "events");
        return (answer.isArray() ? answer : answer.path("events")).size();
    }

    /** The payment id of the claim's claim.payment.initiated, once it is there. */
    String paymentId(String claimId) throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> events(claimId, "claim.payment.initiated").size() == 1);
        return events(claimId, "claim.payment.initiated").get(0).path("data").path("paymentId").asText();
    }

    HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub().apiBase() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("X-API-Key", TestHub.API_KEY).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub().apiBase() + path)).timeout(Duration.ofSeconds(20))
                .header("X-API-Key", TestHub.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        for (TestHub hub : hubs) {
            hub.close();
        }
        redis.delete(List.of(stream, stream + ":dlq", paymentsStream()));
    }
}
