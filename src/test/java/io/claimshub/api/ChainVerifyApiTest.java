package io.claimshub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.store.ClaimKeys;
import io.claimshub.testsupport.StreamRewrites;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.RedisCallback;

/** {@code GET /api/claims/{claimId}/verify} on the booted hub: an event edited by hand in Redis is named. */
@Tag("redis")
class ChainVerifyApiTest {

    private static final String STREAM = TestRedis.uniqueKey("chain-api-events");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestHub hub;

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.block", "200",
                "hub.ingest.enabled", "false",
                "hub.chain.secret", "chain-secret-of-the-api-test-0123456789"));
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
    }

    @Test
    void anUntouchedClaimIsValidAndAnEventEditedByHandIsTheFirstBrokenLink() throws Exception {
        String edited = submit();
        String untouched = submit();
        push(edited, "{\"eventType\":\"claim.document.uploaded\",\"data\":{\"documentId\":\"DOC-1\","
                + "\"documentType\":\"photo\",\"fileName\":\"rear.jpg\",\"uploadedBy\":\"ada@example.com\"}}");
        push(edited, "{\"eventType\":\"claim.document.uploaded\",\"data\":{\"documentId\":\"DOC-2\","
                + "\"documentType\":\"photo\",\"fileName\":\"side.jpg\",\"uploadedBy\":\"ada@example.com\"}}");

        JsonNode before = json(get("/api/claims/" + edited + "/verify"), 200);
        assertThat(before.path("valid").asBoolean()).isTrue();
        assertThat(before.path("keyed").asBoolean()).isTrue();
        assertThat(before.has("firstBrokenVersion")).isFalse();
        int events = before.path("events").asInt();

        // someone with write access to Redis changes the first document's id (the stream rewritten, ids kept; the
        // file name is personal data, stored encrypted)
        List<String[]> entries = rawEntries(ClaimKeys.claimStream(edited));
        int target = -1;
        List<StreamRewrites.Entry> rewritten = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String[] entry = entries.get(i);
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            for (int f = 1; f + 1 < entry.length; f += 2) {
                fields.add(Map.entry(entry[f], entry[f + 1]));
            }
            if (target < 0 && fields.stream().anyMatch(p -> p.getValue().contains("\"DOC-1\""))) {
                target = i;
                fields = StreamRewrites.with(fields, "data", data -> data.replace("\"DOC-1\"", "\"DOC-9\""));
            }
            rewritten.add(new StreamRewrites.Entry(entry[0], fields));
        }
        assertThat(target).as("the entry to edit").isNotNegative();
        StreamRewrites.rewrite(TestRedis.template(), ClaimKeys.claimStream(edited), rewritten);

        JsonNode after = json(get("/api/claims/" + edited + "/verify"), 200);
        assertThat(after.path("claimId").asText()).isEqualTo(edited);
        assertThat(after.path("valid").asBoolean()).isFalse();
        assertThat(after.path("events").asInt()).isEqualTo(events);
        assertThat(after.path("firstBrokenVersion").asInt()).isEqualTo(target + 1);
        assertThat(after.path("firstBrokenEntryId").asText()).isEqualTo(entries.get(target)[0]);
        assertThat(after.path("reason").asText()).isNotBlank();
        assertThat(json(get("/api/claims/" + untouched + "/verify"), 200).path("valid").asBoolean()).isTrue();

        assertThat(get("/api/claims/CLM-ZZZZZZZZ/verify").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = get("/api/claims/not-a-claim/verify");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    }

    private static String submit() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(hub.apiBase() + "/api/claims"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ClaimRequests.SUBMISSION)));
        return json(response, 202).get("claimId").asText();
    }

    private static void push(String claimId, String body) throws Exception {
        json(send(HttpRequest.newBuilder(URI.create(hub.apiBase() + "/api/claims/" + claimId + "/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))), 202);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("X-API-Key", TestHub.API_KEY).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return EventJson.parse(response.body(), "response");
    }

    // each entry as [id, field, value, field, value, ...]
    private static List<String[]> rawEntries(String stream) {
        Object reply = TestRedis.template().execute((RedisCallback<Object>) connection -> connection.execute("XRANGE",
                stream.getBytes(StandardCharsets.UTF_8), "-".getBytes(StandardCharsets.UTF_8),
                "+".getBytes(StandardCharsets.UTF_8)));
        List<String[]> entries = new ArrayList<>();
        for (Object raw : (List<?>) reply) {
            List<?> entry = (List<?>) raw;
            List<?> pairs = (List<?>) entry.get(1);
            String[] flat = new String[1 + pairs.size()];
            flat[0] = new String((byte[]) entry.get(0), StandardCharsets.UTF_8);
            for (int i = 0; i < pairs.size(); i++) {
                flat[i + 1] = new String((byte[]) pairs.get(i), StandardCharsets.UTF_8);
            }
            entries.add(flat);
        }
        return entries;
    }
}
