package io.claimshub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.ClaimType;
import io.claimshub.event.Priority;
import io.claimshub.processing.InvalidConfigurationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationRulesTest {

    @TempDir
    Path dir;

    private Path rules;
    private Templates templates;

    @BeforeEach
    void shipped() {
        rules = NotificationConfigFiles.copyShipped(dir);
        templates = new Templates(dir.resolve("templates"));
    }

    private static ClaimState claim(Priority priority, ClaimStatus status) {
        return new ClaimState("CLM-AAAABBBB", status, 2, null, null, "POL-1", ClaimType.AUTO,
                LocalDate.parse("2026-02-27"), "d", new BigDecimal("1500.00"), "EUR", "Ada", "ada@example.com",
                "+447700900123", "north", priority, null, null, null, null, null, null, null, null, false, null, null,
                0, Instant.parse("2026-03-02T09:00:00Z"), null, null, null, null, null, null, null, null, null, null,
                null);
    }

    private List<String> sends(NotificationRules loaded, String eventType, ClaimState claim) {
        return loaded.matching(eventType, claim).stream()
                .map(m -> m.delivery().channel().wireName() + " " + m.delivery().to().value()).toList();
    }

    @Test
    void theShippedRulesAcknowledgeEveryClaimAndTextOnlyUrgentOnes() {
        NotificationRules loaded = NotificationRules.load(rules, templates::problem);

        assertThat(sends(loaded, "claim.submitted", claim(Priority.NORMAL, ClaimStatus.SUBMITTED)))
                .containsExactly("email claimant", "webhook portal");
        assertThat(sends(loaded, "claim.submitted", claim(Priority.URGENT, ClaimStatus.SUBMITTED)))
                .containsExactly("email claimant", "sms claimant", "webhook portal");
        assertThat(sends(loaded, "claim.rejected", claim(Priority.URGENT, ClaimStatus.REJECTED)))
                .containsExactly("email claimant", "sms claimant", "sms adjuster", "webhook portal");
        assertThat(sends(loaded, "claim.sla.breached", claim(Priority.NORMAL, ClaimStatus.ASSIGNED)))
                .containsExactly("email supervisors");
        assertThat(loaded.roleAddresses("supervisors")).containsExactly("claims-supervisors@claimshub.example");
        assertThat(loaded.skipped("claim.submitted", claim(Priority.NORMAL, ClaimStatus.SUBMITTED)))
                .extracting(NotificationRule::name).containsExactly("urgent-received-sms");
        assertThat(loaded.compliance()).extracting(NotificationRules.Expectation::name)
                .containsExactly("acknowledgement", "decision", "payment");
    }

    @Test
    void amountAndRegionConditions() throws IOException {
        Files.writeString(rules, """
                rules:
                  - name: big
                    on: claim.submitted
                    when: { amountAbove: 1000, amountBelow: 2000, region: [north, east], claimType: auto }
                    send: [{ channel: email, to: ops@claimshub.example, template: claim-received }]
                """);
        NotificationRules loaded = NotificationRules.load(rules, templates::problem);
        assertThat(sends(loaded, "claim.submitted", claim(Priority.NORMAL, ClaimStatus.SUBMITTED)))
                .containsExactly("email ops@claimshub.example");
        ClaimState small = claim(Priority.NORMAL, ClaimStatus.SUBMITTED);
        assertThat(new RuleCondition(java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), java.util.Set.of(),
                new BigDecimal("1500.00"), null).matches(small)).isFalse();
    }

    @Test
    void aBadFileIsRefusedWithItsLine() throws IOException {
        String shipped = Files.readString(rules);
        Files.writeString(rules, shipped.replace("{ channel: sms, to: claimant, template: urgent-received }",
                "{ chanel: sms, to: claimant, template: urgent-received }"));
        int line = lineOf(rules, "chanel");
        assertThatThrownBy(() -> NotificationRules.load(rules, templates::problem))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("notifications.yaml: line " + line + ": unknown field 'chanel'");

        Files.writeString(rules, shipped.replace("template: claim-approved", "template: claim-aproved"));
        line = lineOf(rules, "claim-aproved");
        assertThatThrownBy(() -> NotificationRules.load(rules, templates::problem))
                .hasMessageContaining("line " + line + ": rule 'approval-letter': no template file")
                .hasMessageContaining("claim-aproved.email.en.mustache");

        Files.writeString(rules, shipped.replace("on: claim.payment.completed\n", "on: claim.paid\n"));
        line = lineOf(rules, "claim.paid");
        assertThatThrownBy(() -> NotificationRules.load(rules, templates::problem))
                .hasMessageContaining("line " + line + ": unknown event type 'claim.paid'");

        Files.writeString(rules, shipped.replace("roles:\n", "roles:\n  broken: [\n"));
        assertThatThrownBy(() -> NotificationRules.load(rules, templates::problem))
                .hasMessageContaining("is not valid YAML").hasMessageMatching("(?s).*line \\d+.*");

        Files.writeString(rules, shipped.replace("to: \"role:supervisors\"", "to: \"role:bosses\""));
        line = lineOf(rules, "role:bosses");
        assertThatThrownBy(() -> NotificationRules.load(rules, templates::problem))
                .hasMessageContaining("line " + line + ": rule 'sla-breach-alert': no role 'bosses'");
    }

    @Test
    void aReloadOfABadFileKeepsTheRulesInUse() throws IOException {
        RulesWatch watch = new RulesWatch(rules, templates);
        NotificationRules before = watch.get();
        Files.writeString(rules, "rules: [ { name: x } ]\n");

        assertThat(watch.reload()).isFalse();
        assertThat(watch.get()).isSameAs(before);

        Files.writeString(rules, """
                rules:
                  - { name: only, on: claim.submitted, send: [{ channel: webhook, to: portal }] }
                """);
        assertThat(watch.reload()).isTrue();
        assertThat(watch.get().rules()).extracting(NotificationRule::name).containsExactly("only");
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }
}
