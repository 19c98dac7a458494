package io.claimshub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped rules over a booted hub with a real SMTP server (GreenMail) and real HTTP partners (WireMock): a full
 * claim lifecycle sends the right messages, rendered in the claimant's language, exactly once each; an urgent claim
 * gets text messages, a normal one does not; status updates reach the portal signed.
 */
@Tag("redis")
class NotificationsLifecycleTest {

    private static final String ADA = "ada@example.com";
    private static final String ADJUSTER = "adj-01@claimshub.example";

    @TempDir
    Path dir;

    @Test
    void anUrgentClaimsLifecycleSendsEachMessageOnceInTheClaimantsLanguage() throws Exception {
        try (NotificationHub n = new NotificationHub(dir).with("hub.policy.enabled", "true").start()) {
            String claim = n.submit("urgent", "de-CH");

            MimeMessage received = awaitMail(n, ADA, "Wir haben Ihre Schadenmeldung " + claim + " erhalten");
            assertThat(body(received)).contains("Guten Tag Ada O'Brien", "POL-123456");
            assertThat(received.getHeader("Message-ID")[0]).matches("<[0-9a-f]{32}@claimshub.example>");
            MimeMessage assigned = awaitMail(n, ADJUSTER, "Claim " + claim + " assigned to you (URGENT)");
            assertThat(body(assigned)).contains("Hello Adjuster ADJ-01");
            await().atMost(Duration.ofSeconds(20)).until(() -> sms(n, "+447700900123").size() == 1
                    && sms(n, "+41445550000").size() == 1);
            assertThat(sms(n, "+447700900123").get(0).get("text").asText()).contains("urgent claim " + claim);

            n.policyChecked(claim);
            n.push(claim, "claim.approved", "{\"approvedAmount\":{\"amount\":1400.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}");
            assertThat(body(awaitMail(n, ADA, "Ihre Schadenmeldung " + claim + " ist genehmigt"))).contains("1400.00 EUR");
            await().atMost(Duration.ofSeconds(20)).until(() -> sms(n, "+447700900123").size() == 2
                    && sms(n, "+41445550000").size() == 2);
            n.push(claim, "claim.payment.initiated", "{\"paymentId\":\"PAY-1\",\"amount\":{\"amount\":1400.00,\"currency\":\"EUR\"},\"method\":\"bank_transfer\"}");
            n.push(claim, "claim.payment.completed", "{\"paymentId\":\"PAY-1\",\"paidAt\":\"2026-03-05T10:00:00Z\",\"reference\":\"REF-1\"}");
            // no German payment template: the fallback language
            assertThat(body(awaitMail(n, ADA, "Payment for your claim " + claim + " is made"))).contains("PAY-1");

            await().atMost(Duration.ofSeconds(20)).until(() -> statuses(n, claim).size() == 5);
            assertThat(statuses(n, claim)).containsExactly("submitted", "assigned", "approved", "payment_initiated", "paid");
            for (LoggedRequest request : n.partners.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(NotificationHub.STATUS_PATH)))) {
                assertThat(request.getHeader("X-ClaimsHub-Signature"))
                        .isEqualTo(new NotificationPayloads("", "", NotificationHub.WEBHOOK_SECRET).signature(request.getBodyAsString()));
                assertThat(request.getHeader("Idempotency-Key")).matches("[0-9a-f]{32}");
            }
            LoggedRequest text = n.partners.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(NotificationHub.SMS_PATH))).get(0);
            assertThat(text.getHeader("Authorization")).isEqualTo("Bearer gateway-token");
            assertThat(text.getHeader("Idempotency-Key")).matches("[0-9a-f]{32}");

            // the claim's notifications over the API: attempts and outcomes, addresses masked
            java.net.http.HttpResponse<String> listed = n.get("/api/claims/" + claim + "/notifications");
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains("\"state\":\"sent\"", "\"outcome\":\"sent\"", "a***@example.com")
                    .doesNotContain(ADA).doesNotContain("+447700900123");
            assertThat(n.get("/api/claims/NOT-A-CLAIM/notifications").statusCode()).isEqualTo(400);
            assertThat(n.get("/api/claims/CLM-ZZZZZZZZ/notifications").statusCode()).isEqualTo(404);

            // exactly once: three e-mails to the claimant, two to the adjuster, and nothing more arrives
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    n.mailTo(ADA).size() == 3 && n.mailTo(ADJUSTER).size() == 1 && sms(n, "+447700900123").size() == 2);
        }
    }

    @Test
    void aNormalClaimGetsNoTextMessageAndARejectionGivesTheReason() throws Exception {
        try (NotificationHub n = new NotificationHub(dir).with("hub.policy.enabled", "true").start()) {
            String claim = n.submit("normal", null, "+447700900999");
            awaitMail(n, ADA, "We received your claim " + claim);
            awaitMail(n, ADJUSTER, "Claim " + claim + " assigned to you");
            n.push(claim, "claim.rejected", "{\"reasonCode\":\"NOT_COVERED\",\"reasonText\":\"Wear and tear is not covered\",\"rejectedBy\":\"ADJ-01\"}");
            assertThat(body(awaitMail(n, ADA, "Your claim " + claim + " was not approved")))
                    .contains("Reason: Wear and tear is not covered (NOT_COVERED)");
            await().atMost(Duration.ofSeconds(20)).until(() -> statuses(n, claim).size() == 3);
            assertThat(n.smsSent()).isEmpty();
        }
    }

    static MimeMessage awaitMail(NotificationHub n, String to, String subject) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> n.mailTo(to).stream()
                .filter(m -> subject(m).equals(subject)).findFirst().orElse(null), m -> m != null);
    }

    static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String body(MimeMessage message) {
        try {
            return message.getContent().toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> sms(NotificationHub n, String to) {
        return n.smsSent().stream().filter(s -> s.get("to").asText().equals(to)).toList();
    }

    static List<String> statuses(NotificationHub n, String claimId) {
        return n.statusUpdates().stream().filter(s -> s.get("claimId").asText().equals(claimId))
                .map(s -> s.get("status").asText()).toList();
    }
}
