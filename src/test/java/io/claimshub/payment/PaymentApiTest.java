package io.claimshub.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.claimshub.api.PaymentsApi;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API mode against WireMock as the payment API: 500s, timeouts, a slow partner, a refusal; redelivered and duplicated
 * approvals, two hub instances and a crash injected between the API's answer and the ledger's record. The partner
 * must see every approval under exactly one idempotency key (the payment id).
 */
@Tag("redis")
class PaymentApiTest {

    private static final String PATH = "/payments";
    private static final String SECRET = "callback-shared-secret-for-tests";

    @TempDir
    Path dir;
    private WireMockServer api;
    private PaymentHub payments;

    @BeforeEach
    void start() {
        api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        api.start();
        payments = new PaymentHub(dir)
                .with("hub.payment.mode", "api")
                .with("hub.payment.api-url", api.baseUrl() + PATH)
                .with("hub.payment.api-token", "api-token-for-tests")
                .with("hub.payment.api-timeout", "2500")
                .with("hub.payment.callback-secret", SECRET);
    }

    @AfterEach
    void stop() {
        payments.close();
        api.stop();
    }

    @Test
    void everyApprovalReachesTheApiUnderOneKeyThroughFailuresDuplicatesTwoInstancesAndACrash() throws Exception {
        // the partner: a 500, a timeout, a slow (but in time) answer, another 500, then success
        String scenario = "flaky";
        stub(scenario, Scenario.STARTED, "timeout", aResponse().withStatus(500).withBody("{\"error\":\"boom\"}"));
        stub(scenario, "timeout", "slow", aResponse().withStatus(201).withFixedDelay(6000));
        stub(scenario, "slow", "500-again", aResponse().withStatus(201).withFixedDelay(400));
        stub(scenario, "500-again", "ok", aResponse().withStatus(503));
        stub(scenario, "ok", "ok", aResponse().withStatus(201).withBody("{\"status\":\"accepted\"}"));
        TestHub first = payments.startInstance();
        TestHub second = payments.startInstance();
        // a crash between the API's 2xx and the ledger's record, on whichever instance sends first
        AtomicInteger crashes = new AtomicInteger(1);
        java.util.concurrent.atomic.AtomicReference<String> crashed = new java.util.concurrent.atomic.AtomicReference<>();
        for (TestHub hub : List.of(first, second)) {
            hub.context().getRegistry().lookupByNameAndType("paymentApiSender", PaymentApiSender.class)
                    .afterCall(order -> {
                        if (crashes.getAndDecrement() > 0) {
                            crashed.set(order.claimId());
                            throw new IllegalStateException("injected crash after the call of " + order);
                        }
                    });
        }

        List<String> claims = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            claims.add(payments.approvedClaim("1400.00"));
        }
        // each approval delivered twice (the integrations group may copy an entry again)
        for (String claim : claims) {
            payments.feedApproval(claim);
            payments.feedApproval(claim);
        }

        Map<String, String> paymentIds = new HashMap<>();
        for (String claim : claims) {
            paymentIds.put(claim, payments.paymentId(claim));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> claims.stream().allMatch(c ->
                "sent".equals(ledgerState(first, c, paymentIds.get(c)))));

        assertThat(crashes.get()).isNegative();
        for (String claim : claims) {
            List<LoggedRequest> requests = requestsOf(claim);
            Set<String> keys = new HashSet<>();
            requests.forEach(r -> keys.add(r.getHeader("Idempotency-Key")));
            assertThat(keys).as("idempotency keys of %s", claim).containsExactly(paymentIds.get(claim));
            assertThat(requests).allSatisfy(r ->
                    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer api-token-for-tests"));
            JsonNode body = EventJson.parse(requests.get(0).getBodyAsString(), "request");
            assertThat(body.path("amount").path("amount").decimalValue()).isEqualByComparingTo("1400.00");
            assertThat(body.path("amount").path("currency").asText()).isEqualTo("EUR");
            assertThat(body.path("payee").path("name").asText()).isEqualTo("Ada O'Brien");
            assertThat(payments.events(claim, "claim.payment.initiated")).hasSize(1);
            assertThat(payments.claim(claim).path("status").asText()).isEqualTo("payment_initiated");
        }
        // the send the crash interrupted (after the partner's 2xx) was repeated, under the same key
        assertThat(crashed.get()).isIn(claims);
        assertThat(requestsOf(crashed.get())).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo(paymentIds.get(crashed.get())));

        // partner latency on /observe/metrics
        String metrics = get(first.managementBase() + "/observe/metrics") + get(second.managementBase() + "/observe/metrics");
        assertThat(metrics).containsPattern("claimshub_partner_call_seconds_count\\{[^}]*partner=\"payment-api\"");
        assertThat(metrics).containsPattern("claimshub_partner_breaker_state\\{[^}]*breaker=\"payment-api\"");
    }

    @Test
    void aRefusalIsFinalAndRecordedAsPaymentFailed() throws Exception {
        api.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(422)
                .withBody("{\"error\":\"payee account closed\"}")));
        payments.startInstance();
        String claim = payments.approvedClaim("900.00");
        payments.feedApproval(claim);
        String paymentId = payments.paymentId(claim);

        await().atMost(Duration.ofSeconds(30)).until(() -> payments.events(claim, "claim.payment.failed").size() == 1);
        JsonNode failed = payments.events(claim, "claim.payment.failed").get(0).path("data");
        assertThat(failed.path("paymentId").asText()).isEqualTo(paymentId);
        assertThat(failed.path("reason").asText()).contains("HTTP 422").contains("payee account closed");
        // a redelivery sends nothing more and records nothing more
        payments.feedApproval(claim);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                requestsOf(claim).size() == 1 && payments.events(claim, "claim.payment.failed").size() == 1);
        assertThat(payments.claim(claim).path("status").asText()).isEqualTo("payment_initiated");

        // an entry that is no approval of its claim's stream goes to the log's dead letters, with the reason
        payments.redis.opsForStream().add(org.springframework.data.redis.connection.stream.StreamRecords
                .mapBacked(Map.of("eventId", "0b7e3c1a-1111-4222-8333-444455556666", "eventType", "claim.approved",
                        "claimId", claim, "timestamp", "2026-03-05T10:00:00Z", "version", "1.0", "claimVersion", "9",
                        "data", "{\"approvedAmount\":{\"amount\":900.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}"))
                .withStreamKey(payments.paymentsStream()));
        await().atMost(Duration.ofSeconds(60)).until(() -> payments.redis.opsForStream()
                .range(payments.stream + ":dlq", org.springframework.data.domain.Range.unbounded()).stream()
                .anyMatch(r -> "integrations-payments".equals(r.getValue().get("dlq.group"))
                        && String.valueOf(r.getValue().get("dlq.error")).contains("is not in the stream of " + claim)));
        assertThat(requestsOf(claim)).hasSize(1);
    }

    @Test
    void aCallbackCompletesThePaymentOnceAndABadSignatureWritesNothing() throws Exception {
        api.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202)));
        payments.startInstance();
        String claim = payments.approvedClaim("500.00");
        payments.feedApproval(claim);
        String paymentId = payments.paymentId(claim);
        await().atMost(Duration.ofSeconds(30)).until(() -> "sent".equals(ledgerState(payments.hub(), claim, paymentId)));
        int before = payments.eventCount(claim);

        String body = "{\"paymentId\":\"" + paymentId + "\",\"status\":\"completed\",\"paidAt\":\"2026-03-05T10:00:00Z\","
                + "\"reference\":\"BANK-REF-1\"}";
        HttpResponse<String> unsigned = payments.post("/api/payments/callback", body, Map.of());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));
        HttpResponse<String> forged = payments.post("/api/payments/callback", body,
                Map.of(PaymentsApi.SIGNATURE_HEADER, "sha256=" + sign("another-secret", body)));
        assertThat(forged.statusCode()).isEqualTo(401);
        HttpResponse<String> tampered = payments.post("/api/payments/callback", body.replace("BANK-REF-1", "BANK-REF-2"),
                Map.of(PaymentsApi.SIGNATURE_HEADER, "sha256=" + sign(SECRET, body)));
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(payments.eventCount(claim)).isEqualTo(before);
        assertThat(payments.claim(claim).path("status").asText()).isEqualTo("payment_initiated");

        Map<String, String> signed = Map.of(PaymentsApi.SIGNATURE_HEADER, "sha256=" + sign(SECRET, body));
        HttpResponse<String> first = payments.post("/api/payments/callback", body, signed);
        HttpResponse<String> repeated = payments.post("/api/payments/callback", body, signed);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(EventJson.parse(first.body(), "answer").path("outcome").asText()).isEqualTo("recorded");
        assertThat(repeated.statusCode()).isEqualTo(200);
        assertThat(EventJson.parse(repeated.body(), "answer").path("outcome").asText()).isEqualTo("already-recorded");
        List<JsonNode> completed = payments.events(claim, "claim.payment.completed");
        assertThat(completed).hasSize(1);
        assertThat(completed.get(0).path("data").path("reference").asText()).isEqualTo("BANK-REF-1");
        assertThat(payments.claim(claim).path("status").asText()).isEqualTo("paid");
    }

    @Test
    void anOpenBreakerShowsTheHubDegradedNotDown() throws Exception {
        api.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500)));
        TestHub hub = payments.with("hub.payment.breaker-open", "60").startInstance();
        HealthCheck partners = hub.context().getRegistry().lookupByNameAndType("partnerHealthCheck", HealthCheck.class);
        assertThat(partners.call().getDetails()).containsEntry("status", "OK")
                .containsEntry("breaker.payment-api.state", "CLOSED")
                // every breaker of the hub, not only the payment adapter's
                .containsEntry("breaker.notification-email-breaker.state", "CLOSED")
                .containsEntry("breaker.notification-sms-breaker.state", "CLOSED");

        String claim = payments.approvedClaim("300.00");
        payments.feedApproval(claim);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "DEGRADED".equals(partners.call().getDetails().get("status")));
        HealthCheck.Result result = partners.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("payment-api"));
        assertThat(result.getDetails()).containsEntry("breaker.payment-api.state", "OPEN");
        // the hub as a whole stays UP while the partner is away (the other checks settle after start-up)
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "UP".equals(EventJson.parse(get(hub.managementBase() + "/observe/health"), "health").path("status").asText()));
        assertThat(partners.call().getDetails()).containsEntry("breaker.payment-api.state", "OPEN");
        assertThat(get(hub.managementBase() + "/observe/metrics"))
                .containsPattern("claimshub_partner_breaker_state\\{[^}]*breaker=\"payment-api\"[^}]*} 1\\.0");
    }

    private void stub(String scenario, String state, String next,
                      com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        api.stubFor(post(urlEqualTo(PATH)).inScenario(scenario).whenScenarioStateIs(state)
                .willSetStateTo(next).willReturn(response));
    }

    private List<LoggedRequest> requestsOf(String claimId) {
        return api.findAll(postRequestedFor(urlEqualTo(PATH))).stream()
                .filter(r -> r.getBodyAsString().contains("\"claimId\":\"" + claimId + "\"")).toList();
    }

    private String ledgerState(TestHub hub, String claimId, String paymentId) {
        return hub.context().getRegistry().lookupByNameAndType("paymentApiSender", PaymentApiSender.class)
                .state(new io.claimshub.payment.PaymentOrder(claimId, paymentId, null, null, null, null));
    }

    private static String sign(String secret, String body) {
        return HexFormat.of().formatHex(PaymentsApi.sign(secret.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("X-API-Key", TestHub.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
