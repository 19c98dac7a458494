package io.claimshub.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComplianceReportTest {

    private static final List<NotificationRules.Expectation> EXPECTED = List.of(
            new NotificationRules.Expectation("acknowledgement", Set.of("claim.submitted"), Duration.ofHours(24)),
            new NotificationRules.Expectation("decision", Set.of("claim.approved", "claim.rejected"), Duration.ofHours(2)),
            new NotificationRules.Expectation("payment", Set.of("claim.payment.completed"), Duration.ofHours(24)));
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @Test
    void eachExpectedNotificationIsOkLateOrMissingAgainstItsDeadline() {
        List<ComplianceReport.Event> events = List.of(
                new ComplianceReport.Event("e1", "claim.submitted", T0),
                new ComplianceReport.Event("e2", "claim.assigned", T0.plusSeconds(60)),
                new ComplianceReport.Event("e3", "claim.approved", T0.plusSeconds(3600)),
                new ComplianceReport.Event("e4", "claim.payment.completed", T0.plusSeconds(7200)));
        Map<String, String[]> ledger = Map.of(
                "e1/email/claimant", sent(T0.plusSeconds(5)),
                "e2/email/adjuster:ADJ-01", sent(T0.plusSeconds(61)),
                "e3/email/claimant", sent(T0.plusSeconds(3600 + 3 * 3600)),
                "e4/email/claimant", new String[] {"failed", Long.toString(T0.plusSeconds(7300).toEpochMilli()), "x"});

        List<ComplianceReport.Row> rows = ComplianceReport.rows("CLM-7Q2K9XAB", events, ledger, EXPECTED);

        assertThat(ComplianceReport.csv(rows)).isEqualTo("""
                claimId,decidedAt,kind,expectedBy,sentAt,status
                CLM-7Q2K9XAB,2026-03-02T09:00:00Z,acknowledgement,2026-03-03T08:00:00Z,2026-03-02T08:00:05Z,ok
                CLM-7Q2K9XAB,2026-03-02T09:00:00Z,decision,2026-03-02T11:00:00Z,2026-03-02T12:00:00Z,late
                CLM-7Q2K9XAB,2026-03-02T09:00:00Z,payment,2026-03-03T10:00:00Z,,missing
                """);
    }

    @Test
    void aClaimNeverPaidExpectsNoPaymentConfirmationAndAnUnsentOneIsMissing() {
        List<ComplianceReport.Event> events = List.of(
                new ComplianceReport.Event("e1", "claim.submitted", T0),
                new ComplianceReport.Event("e2", "claim.rejected", T0.plusSeconds(60)));
        Map<String, String[]> ledger = Map.of(
                "e1/email/claimant", new String[] {"sending", Long.toString(T0.plusSeconds(1).toEpochMilli()), ""},
                "e2/email/claimant", sent(T0.plusSeconds(70)));

        List<ComplianceReport.Row> rows = ComplianceReport.rows("CLM-7Q2K9XAC", events, ledger, EXPECTED);

        assertThat(rows).extracting(ComplianceReport.Row::kind, ComplianceReport.Row::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acknowledgement", "missing"),
                        org.assertj.core.groups.Tuple.tuple("decision", "ok"));
    }

    private static String[] sent(Instant at) {
        return new String[] {"sent", Long.toString(at.toEpochMilli()), ""};
    }
}
