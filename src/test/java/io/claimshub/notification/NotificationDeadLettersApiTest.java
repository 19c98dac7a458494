package io.claimshub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.claimshub.event.EventJson;
import io.claimshub.ops.OpsKeys;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;

/** Operators list a channel's dead letters, replay one into its channel (sent once more), discard one; audited. */
@Tag("redis")
class NotificationDeadLettersApiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String REFUSED_PHONE = "+447700900333";

    @TempDir
    Path dir;

    @Test
    void aRefusedMessageIsListedThenReplayedOnceTheGatewayTakesItAndADiscardIsAudited() throws Exception {
        try (NotificationHub n = new NotificationHub(dir).start()) {
            n.answerSms(422, REFUSED_PHONE);
            String claimId = n.submit("urgent", null, REFUSED_PHONE);
            String base = n.hub().apiBase() + "/api/ops/notifications/dead-letters";

            JsonNode entry = await().atMost(Duration.ofSeconds(30)).until(
                    () -> get(base + "?channel=sms").path("deadLetters"), list -> list.size() == 1).get(0);
            assertThat(entry.path("claimId").asText()).isEqualTo(claimId);
            assertThat(entry.path("reason").asText()).isEqualTo("refused");
            assertThat(entry.path("error").asText()).contains("HTTP 422");
            assertThat(entry.path("ledgerState").asText()).isEqualTo("failed");
            assertThat(entry.path("ledgerId").asText()).endsWith("/sms/claimant");
            assertThat(entry.path("to").asText()).doesNotContain("900333").endsWith("33");
            assertThat(get(base + "?channel=sms&reason=unknown-fate").path("deadLetters")).isEmpty();
            String id = entry.path("id").asText();
            assertThat(get(base + "/sms/" + id).path("claimId").asText()).isEqualTo(claimId);

            // refusals: no operator, a message that is not of unknown fate, an unknown channel
            assertThat(post(base + "/sms/" + id + "/replay", "{}", null).statusCode()).isEqualTo(400);
            HttpResponse<String> confirm = post(base + "/sms/" + id + "/confirm-sent", "{\"reason\":\"checked\"}", "ops-oncall");
            assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(409);
            assertThat(get(base + "?channel=fax", 400).path("errors").toString()).contains("channel");

            // the gateway takes the number now: the replay sends it once more, under the same idempotency key
            n.answerSms(200, REFUSED_PHONE);
            HttpResponse<String> replayed = post(base + "/sms/" + id + "/replay",
                    "{\"reason\":\"number fixed at the gateway\"}", "ops-oncall");
            assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);
            SendLedger ledger = n.hub().context().getRegistry().lookupByNameAndType("sendLedger", SendLedger.class);
            String ledgerId = entry.path("ledgerId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.state(claimId, ledgerId).equals("sent"));
            List<LoggedRequest> toRefused = n.partners.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(
                    NotificationHub.SMS_PATH)).withRequestBody(WireMock.containing(REFUSED_PHONE)));
            assertThat(toRefused).hasSize(2);
            assertThat(toRefused).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(
                    toRefused.get(0).getHeader("Idempotency-Key"));
            assertThat(get(base + "?channel=sms").path("deadLetters")).isEmpty();
            assertThat(post(base + "/sms/" + id + "/replay", "{}", "ops-oncall").statusCode()).isEqualTo(404);
            assertThat(audit(OpsKeys.AUDIT, "notification-dead-letter.replay", id)).isNotNull()
                    .containsEntry("who", "ops-oncall").containsEntry("reason", "number fixed at the gateway");

            // a second refusal, discarded: it leaves the dead letters, the ledger keeps it failed
            n.answerSms(422, "+447700900444");
            String second = n.submit("urgent", null, "+447700900444");
            JsonNode other = await().atMost(Duration.ofSeconds(30)).until(
                    () -> get(base + "?channel=sms").path("deadLetters"), list -> list.size() == 1).get(0);
            assertThat(other.path("claimId").asText()).isEqualTo(second);
            assertThat(post(base + "/sms/" + other.path("id").asText() + "/discard", "{}", "ops-oncall").statusCode())
                    .as("a discard needs a reason").isEqualTo(400);
            HttpResponse<String> discarded = post(base + "/sms/" + other.path("id").asText() + "/discard",
                    "{\"reason\":\"claimant asked for letters only\"}", "ops-oncall");
            assertThat(discarded.statusCode()).as(discarded.body()).isEqualTo(200);
            assertThat(get(base + "?channel=sms").path("deadLetters")).isEmpty();
            assertThat(ledger.state(second, other.path("ledgerId").asText())).isEqualTo("failed");
            assertThat(audit(OpsKeys.AUDIT, "notification-dead-letter.discard", other.path("id").asText())).isNotNull();
        }
    }

    /** The latest audit entry of this action on a dead letter of this id. */
    private static Map<Object, Object> audit(String stream, String action, String deadLetterId) {
        List<MapRecord<String, Object, Object>> entries = TestRedis.template().opsForStream()
                .reverseRange(stream, Range.unbounded(), Limit.limit().count(200));
        return entries == null ? null : entries.stream().map(MapRecord::getValue)
                .filter(v -> action.equals(v.get("action")) && String.valueOf(v.get("target")).endsWith("/" + deadLetterId))
                .findFirst().orElse(null);
    }

    private static JsonNode get(String url) throws Exception {
        return get(url, 200);
    }

    private static JsonNode get(String url, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("X-API-Key", TestHub.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return EventJson.parse(response.body(), "answer");
    }

    private static HttpResponse<String> post(String url, String body, String operator) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-API-Key", TestHub.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (operator != null) {
            request.header("X-Operator", operator);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
