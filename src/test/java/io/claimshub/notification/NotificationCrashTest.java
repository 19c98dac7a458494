package io.claimshub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.ForkedHub;
import io.claimshub.testsupport.TestHub;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: the hub's JVM is killed (SIGKILL) while the SMS gateway holds its request, i.e. after the message
 * went out and before the send ledger could record it. The hub that takes over never sends it again: the gateway
 * sees that message once, the ledger says its fate is unknown, and operators find it among the SMS channel's dead
 * letters (reason unknown-fate) and confirm it as sent.
 *
 * <p>Not tagged {@code redis} (CI does not repeat it against Redis 7): it is about a process dying; the scripts it
 * runs are the ones the tagged tests run against both servers.
 */
class NotificationCrashTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CLAIMANT_PHONE = "+447700900123";

    @TempDir
    Path dir;

    private HttpServer gateway;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstArrived = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private ForkedHub forked;

    record Request(String idempotencyKey, JsonNode body) {
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (forked != null) {
            forked.close();
        }
        if (gateway != null) {
            gateway.stop(0);
        }
    }

    @Test
    void aHubKilledBetweenTheSendAndItsRecordNeverSendsTheMessageAgainAndListsItForAnOperator() throws Exception {
        startGateway();
        try (NotificationHub n = new NotificationHub(dir)) {
            n.with("hub.sms.gateway-url", "http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms")
                    .with("hub.notifications.sms.timeout", "120000")
                    // one sender: the claimant's text message is the only send in flight when the hub is killed
                    .with("hub.notifications.sms.senders", "1");
            forked = ForkedHub.start(n.settings(), dir.resolve("forked"));

            String claimId = submitUrgent(forked.apiBase());
            assertThat(firstArrived.await(60, TimeUnit.SECONDS)).as("the gateway got the claimant's text message").isTrue();
            Request inFlight = received.get(0);
            assertThat(inFlight.body().path("to").asText()).isEqualTo(CLAIMANT_PHONE);

            forked.kill();
            assertThat(forked.alive()).isFalse();
            release.countDown(); // from now on the gateway answers at once

            // another hub takes the dead one's pending outbox entries over
            n.with("hub.consumer.claim-min-idle", "1000").with("hub.consumer.claim-interval", "500").start();
            SendLedger ledger = n.hub().context().getRegistry().lookupByNameAndType("sendLedger", SendLedger.class);
            await("the interrupted send marked unknown").atMost(Duration.ofSeconds(60))
                    .until(() -> "unknown".equals(ledger.state(claimId, ledgerIdOf(ledger, claimId))));
            String ledgerId = ledgerIdOf(ledger, claimId);

            // the adjuster's text (queued before the crash or after it) goes out once; the claimant's never again
            await().atMost(Duration.ofSeconds(60)).until(() -> received.stream()
                    .anyMatch(r -> !r.body().path("to").asText().equals(CLAIMANT_PHONE)));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    received.stream().filter(r -> r.body().path("to").asText().equals(CLAIMANT_PHONE)).count() == 1);
            assertThat(received).extracting(Request::idempotencyKey).doesNotHaveDuplicates();

            // listed for an operator, who confirms it (e.g. after checking with the gateway)
            JsonNode list = get(n.hub().apiBase() + "/api/ops/notifications/dead-letters?channel=sms&reason=unknown-fate");
            assertThat(list.path("deadLetters")).hasSize(1);
            JsonNode deadLetter = list.path("deadLetters").get(0);
            assertThat(deadLetter.path("claimId").asText()).isEqualTo(claimId);
            assertThat(deadLetter.path("ledgerId").asText()).isEqualTo(ledgerId);
            assertThat(deadLetter.path("ledgerState").asText()).isEqualTo("unknown");
            assertThat(deadLetter.path("to").asText()).doesNotContain("900123").endsWith("23");

            HttpResponse<String> confirmed = post(n.hub().apiBase() + "/api/ops/notifications/dead-letters/sms/"
                    + deadLetter.path("id").asText() + "/confirm-sent", "{\"reason\":\"the gateway's log shows it delivered\"}");
            assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
            assertThat(ledger.state(claimId, ledgerId)).isEqualTo("sent");
            assertThat(received.stream().filter(r -> r.body().path("to").asText().equals(CLAIMANT_PHONE))).hasSize(1);
        } catch (AssertionError | RuntimeException failure) {
            if (forked != null) {
                forked.printLog();
            }
            throw failure;
        }
    }

    /** The ledger id of the claimant's text message on submission ({@code <event id>/sms/claimant}). */
    private static String ledgerIdOf(SendLedger ledger, String claimId) {
        return ledger.entries(claimId).keySet().stream().filter(id -> id.endsWith("/sms/claimant"))
                .findFirst().orElse("none");
    }

    private void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        gateway.createContext("/sms", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Request(exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    EventJson.parse(new String(body, StandardCharsets.UTF_8), "sms")));
            firstArrived.countDown();
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = "{\"status\":\"queued\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            } catch (IOException clientGone) {
                // the killed hub's connection
            }
        });
        gateway.start();
    }

    private static String submitUrgent(String apiBase) throws Exception {
        HttpResponse<String> response = post(apiBase + "/api/claims", """
                {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
                 "description":"Rear-ended at a traffic light","amountClaimed":{"amount":1500.00,"currency":"EUR"},
                 "claimant":{"name":"Ada O'Brien","email":"ada@example.com","phone":"%s"},
                 "region":"north","priority":"urgent"}""".formatted(CLAIMANT_PHONE));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return EventJson.parse(response.body(), "answer").path("claimId").asText();
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-API-Key", TestHub.API_KEY)
                .header("X-Operator", "ops-oncall").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("X-API-Key", TestHub.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return EventJson.parse(response.body(), "answer");
    }

}
