package io.claimshub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimshub.processing.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatesTest {

    @TempDir
    Path dir;

    private Templates templates;

    @BeforeEach
    void shipped() {
        NotificationConfigFiles.copyShipped(dir);
        templates = new Templates(dir.resolve("templates"));
    }

    @Test
    void theShippedTemplatesRenderAgainstTheSampleClaim() {
        templates.checkAll();
        assertThat(templates.all()).hasSizeGreaterThan(8);
    }

    @Test
    void aSyntaxErrorStopsTheCheckWithTheFileAndLine() throws IOException {
        Path file = dir.resolve("templates/claim-approved.email.en.mustache");
        Files.writeString(file, "Subject: x\n\nline two\nline three {{#body.claim.claimId}} never closed\n");
        assertThatThrownBy(templates::checkAll).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("claim-approved.email.en.mustache")
                .hasMessageContaining("4");
    }

    @Test
    void aMisspeltNameIsCaughtWithItsLine() throws IOException {
        Path file = dir.resolve("templates/claim-approved.email.en.mustache");
        Files.writeString(file, "Subject: x\n\nDear {{body.recipient.name}},\nyou get {{body.claim.aprovedAmount}}\n");
        assertThatThrownBy(templates::checkAll).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("claim-approved.email.en.mustache: line 4: unknown name 'body.claim.aprovedAmount'");
    }

    @Test
    void anEmailTemplateNeedsItsSubjectLine() throws IOException {
        Files.writeString(dir.resolve("templates/claim-approved.email.en.mustache"), "Hello\n");
        assertThatThrownBy(templates::checkAll).hasMessageContaining("line 1: an e-mail template starts with 'Subject: ...'");
    }

    @Test
    void theClaimantsLanguageWithTheFallback() {
        assertThat(templates.resolve("claim-approved", Channel.EMAIL, "de-CH", "en").getFileName())
                .hasToString("claim-approved.email.de.mustache");
        assertThat(templates.resolve("claim-rejected", Channel.EMAIL, "de", "en").getFileName())
                .hasToString("claim-rejected.email.en.mustache");
        assertThat(templates.resolve("claim-approved", Channel.EMAIL, null, "en").getFileName())
                .hasToString("claim-approved.email.en.mustache");
    }

    @Test
    void valuesAreNotHtmlEscapedAndAddressesAreMasked() {
        assertThat(new PlainTextMustacheFactory().compile(new java.io.StringReader("{{x}}"), "t")
                .execute(new java.io.StringWriter(), java.util.Map.of("x", "O'Brien & Co")).toString())
                .isEqualTo("O'Brien & Co");
        assertThat(ClaimantContacts.mask("ada.lovelace@example.com")).isEqualTo("a***@example.com");
        assertThat(ClaimantContacts.mask("+447700900123")).isEqualTo("+**********23");
        assertThat(SendLedger.redact("550 5.1.1 <ada@example.com>: no such user, sms +447700900123"))
                .isEqualTo("550 5.1.1 <a***@example.com>: no such user, sms +**********23");
    }
}
