package io.claimshub.notification;

import static io.claimshub.notification.NotificationsLifecycleTest.awaitMail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compliance report over a booted hub with real Redis and a real SMTP server (GreenMail): the CSV of the day's
 * decided claims says which expected notifications were sent in time, late or not at all; a bad date is a 400
 * naming it; the daily mail reaches the compliance address once, however often it is found due.
 * Not repeated against Redis 7 in CI: it is about the daily mail; the report reads Redis with plain ZRANGE, HGET
 * and SET (no script), and the analytics and send-ledger scripts it relies on run in tagged tests.
 */
class ComplianceReportHubTest {

    private static final String ADA = "ada@example.com";
    private static final String COMPLIANCE = "compliance@claimshub.example";

    @TempDir
    Path dir;

    @Test
    void theDaysReportListsEachDecidedClaimsExpectedNotificationsAndIsMailedOnce() throws Exception {
        try (NotificationHub n = new NotificationHub(dir).with("hub.policy.enabled", "true")) {
            // decision letters are due at once (so sent late), and an adjuster-only notice is expected of the claimant
            String rules = Files.readString(n.rulesFile)
                    .replace("decision: { on: [claim.approved, claim.rejected], within: PT24H }",
                            "decision: { on: [claim.approved, claim.rejected], within: PT0S }")
                    + "  assignment: { on: claim.assigned, within: PT1H }\n";
            Files.writeString(n.rulesFile, rules);
            n.with("hub.compliance.report-time", "00:00").with("hub.compliance.check-interval", "200").start();

            String approved = n.submit("normal", null);
            awaitMail(n, ADA, "We received your claim " + approved);
            n.policyChecked(approved);
            n.push(approved, "claim.approved", "{\"approvedAmount\":{\"amount\":1400.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}");
            awaitMail(n, ADA, "Your claim " + approved + " is approved");
            String rejected = n.submit("normal", null);
            awaitMail(n, ADA, "We received your claim " + rejected);
            n.push(rejected, "claim.rejected", "{\"reasonCode\":\"NOT_COVERED\",\"reasonText\":\"Wear and tear\",\"rejectedBy\":\"ADJ-01\"}");
            awaitMail(n, ADA, "Your claim " + rejected + " was not approved");
            String today = LocalDate.now(ZoneOffset.UTC).toString();

            String csv = await().atMost(Duration.ofSeconds(30)).until(() -> n.get("/api/reports/compliance/" + today),
                    r -> r.body().lines().count() == 1 + 2 * 3).body();
            List<String> lines = csv.lines().toList();
            assertThat(lines.get(0)).isEqualTo("claimId,decidedAt,kind,expectedBy,sentAt,status");
            for (String claim : List.of(approved, rejected)) {
                assertThat(status(lines, claim, "acknowledgement")).isEqualTo("ok");
                assertThat(status(lines, claim, "decision")).isEqualTo("late");
                assertThat(status(lines, claim, "assignment")).isEqualTo("missing");
            }
            assertThat(csv).doesNotContain("ada@", "Ada", "+44");
            HttpResponse<String> answer = n.get("/api/reports/compliance/" + today);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");

            HttpResponse<String> bad = n.get("/api/reports/compliance/2026-13-45");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(bad.body()).contains("\"date\"");

            // the timer finds yesterday's report due every 200 ms: one mail
            String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
            awaitMail(n, COMPLIANCE, "Compliance report " + yesterday);
            // today's report asked for twice: the send ledger mails it once
            for (int i = 0; i < 2; i++) {
                n.hub().context().createProducerTemplate().sendBodyAndHeader("direct:mail-compliance-report", "",
                        "ReportDate", today);
            }
            MimeMessage report = awaitMail(n, COMPLIANCE, "Compliance report " + today);
            assertThat(NotificationsLifecycleTest.body(report)).contains(approved + ",", rejected + ",", ",late");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> n.mailTo(COMPLIANCE).size() == 2);
            assertThat(n.mailTo(COMPLIANCE)).extracting(NotificationsLifecycleTest::subject)
                    .containsExactlyInAnyOrder("Compliance report " + yesterday, "Compliance report " + today);
        }
    }

    private static String status(List<String> lines, String claim, String kind) {
        return lines.stream().filter(l -> l.startsWith(claim + ",") && l.contains("," + kind + ","))
                .map(l -> Arrays.asList(l.split(",", -1)).get(5)).findFirst().orElse("(no row)");
    }
}
