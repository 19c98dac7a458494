package io.claimshub.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

/**
 * The quick start: a hub with no payment settings boots in file mode; bad settings stop the start, naming them. Not
 * repeated against Redis 7 in CI: it is about settings; the payment scripts run in PaymentApiTest and PaymentFileTest.
 */
class PaymentDefaultsTest {

    @Test
    void aHubWithNoPaymentSettingsBootsInFileMode() throws Exception {
        String stream = TestRedis.uniqueKey("events");
        // test hubs leave payments off unless told; this one is given the mode the hub ships with
        java.util.Properties shipped = new java.util.Properties();
        try (var in = TestHub.class.getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        assertThat(shipped.getProperty("hub.payment.mode")).isEqualTo("file");
        TestHub hub = TestHub.start(Map.of("hub.events.stream", stream, "hub.ingest.enabled", "false",
                "hub.retention.enabled", "false", "hub.payment.mode", shipped.getProperty("hub.payment.mode")));
        try {
            PaymentSettings settings = hub.context().getRegistry().lookupByNameAndType("paymentSettings",
                    PaymentSettings.class);
            assertThat(settings.fileMode()).isTrue();
            assertThat(settings.cutoffTimes()).containsExactly(LocalTime.of(10, 0), LocalTime.of(15, 0));
            for (String route : List.of("integrations-payments", "payment-file-cutoff", "payment-confirmations",
                    "payment-callback")) {
                assertThat(hub.context().getRouteController().getRouteStatus(route)).as(route)
                        .isEqualTo(ServiceStatus.Started);
            }
        } finally {
            TestHub.stop(hub, stream);
        }
    }

    @Test
    void modeOffLeavesPaymentsToExternalSystems(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (PaymentHub payments = new PaymentHub(dir).with("hub.payment.mode", "off")) {
            payments.startInstance();
            String claim = payments.approvedClaim("400.00");
            payments.feedApproval(claim);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                    pending(payments) == 0 && delivered(payments) == 1);
            assertThat(payments.events(claim, "claim.payment.initiated")).isEmpty();
            assertThat(payments.post("/api/claims/" + claim + "/events", "{\"eventType\":\"claim.payment.initiated\","
                    + "\"data\":{\"paymentId\":\"PAY-EXT-1\",\"amount\":{\"amount\":400.00,\"currency\":\"EUR\"},"
                    + "\"method\":\"bank_transfer\"}}", Map.of()).statusCode()).isEqualTo(202);
        }
    }

    private static long pending(PaymentHub payments) {
        return payments.redis.opsForStream().pending(payments.paymentsStream(), "integrations-payments").getTotalPendingMessages();
    }

    private static long delivered(PaymentHub payments) {
        return payments.redis.opsForStream().groups(payments.paymentsStream()).stream()
                .filter(g -> g.groupName().equals("integrations-payments")).findFirst()
                .map(g -> g.lastDeliveredId().equals("0-0") ? 0L : 1L).orElse(0L);
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new PaymentSettings("cheque", "", "", 1000, "10:00"))
                .hasMessageContaining("hub.payment.mode");
        assertThat(new PaymentSettings("off", "", "", 1000, "10:00").enabled()).isFalse();
        assertThatThrownBy(() -> new PaymentSettings("api", " ", "", 1000, "10:00"))
                .hasMessageContaining("hub.payment.api-url");
        assertThatThrownBy(() -> new PaymentSettings("file", "", "", 1000, "10:00,25:99"))
                .hasMessageContaining("hub.payment.cutoff-times");
    }

    @Test
    void paymentIdsAreDerivedFromClaimAndApprovalAndNameTheirClaim() {
        String id = PaymentIds.of("CLM-AB12CD34", "6f1c2d3e-0000-4000-8000-000000000001");
        assertThat(id).matches("CLM-AB12CD34-P[0-9a-f]{12}").hasSizeLessThanOrEqualTo(35)
                .isEqualTo(PaymentIds.of("CLM-AB12CD34", "6f1c2d3e-0000-4000-8000-000000000001"))
                .isNotEqualTo(PaymentIds.of("CLM-AB12CD34", "6f1c2d3e-0000-4000-8000-000000000002"));
        assertThat(PaymentIds.claimIdOf(id)).contains("CLM-AB12CD34");
        assertThat(PaymentIds.claimIdOf("PAY-1")).isEmpty();
        assertThat(PaymentIds.eventId("claim.payment.completed", id))
                .isEqualTo(PaymentIds.eventId("claim.payment.completed", id))
                .isNotEqualTo(PaymentIds.eventId("claim.payment.failed", id));
    }
}
