package io.claimshub.processing;

import static io.claimshub.processing.SubmittedClaim.aClaim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlaPolicyTest {

    private static final Path SAMPLE_SLA = Path.of("config/sla.yaml");
    private static final Instant ASSIGNED_AT = Instant.parse("2025-03-10T09:00:00Z");

    @TempDir
    Path dir;

    private final SlaPolicy sample = SlaPolicy.load(SAMPLE_SLA);

    private Path slaFile(String yaml) throws IOException {
        return Files.writeString(dir.resolve("sla.yaml"), yaml);
    }

    @Test
    void normalAutoClaimIsDueSeventyTwoHoursAfterAssignment() {
        ClaimFacts claim = aClaim().type("auto").priority("normal").facts();

        assertThat(sample.deadline(claim, ASSIGNED_AT)).isEqualTo(Instant.parse("2025-03-13T09:00:00Z"));
    }

    @Test
    void urgentAutoClaimIsDueTwentyFourHoursAfterAssignment() {
        ClaimFacts claim = aClaim().type("auto").priority("urgent").facts();

        assertThat(sample.deadline(claim, ASSIGNED_AT)).isEqualTo(Instant.parse("2025-03-11T09:00:00Z"));
    }

    @Test
    void eachClaimTypeHasItsOwnDecisionTimes() {
        assertThat(sample.decisionTime("property", "normal")).isEqualTo(Duration.ofHours(168));
        assertThat(sample.decisionTime("health", "urgent")).isEqualTo(Duration.ofHours(24));
        assertThat(sample.decisionTime("travel", "urgent")).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void claimTypeWithoutEntriesUsesTheDefaultForItsPriority() {
        // given the sample lists no liability entry
        assertThat(sample.decisionTime("liability", "normal")).isEqualTo(Duration.ofHours(120));
        assertThat(sample.decisionTime("liability", "urgent")).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void priorityMissingForAClaimTypeFallsBackToItsDefault() throws IOException {
        Path file = slaFile("""
                defaults: {normal: PT120H, urgent: PT48H}
                deadlines:
                  auto: {urgent: PT6H}
                """);

        SlaPolicy policy = SlaPolicy.load(file);

        assertThat(policy.decisionTime("auto", "urgent")).isEqualTo(Duration.ofHours(6));
        assertThat(policy.decisionTime("auto", "normal")).isEqualTo(Duration.ofHours(120));
    }

    @Test
    void deadlinesSectionIsOptional() throws IOException {
        SlaPolicy policy = SlaPolicy.load(slaFile("defaults: {normal: PT120H, urgent: PT48H}\n"));

        assertThat(policy.decisionTime("travel", "urgent")).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void rejectsDefaultsMissingAPriority() throws IOException {
        Path file = slaFile("defaults: {normal: PT120H}\n");

        assertThatThrownBy(() -> SlaPolicy.load(file))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(file + ": defaults has no decision time for priority 'urgent'");
    }

    @Test
    void rejectsAnUnknownClaimType() throws IOException {
        Path file = slaFile("""
                defaults: {normal: PT120H, urgent: PT48H}
                deadlines:
                  marine: {normal: PT72H}
                """);

        assertThatThrownBy(() -> SlaPolicy.load(file))
                .hasMessageStartingWith(file + ": deadlines names unknown claim type 'marine'");
    }

    @Test
    void rejectsAnUnknownPriority() throws IOException {
        Path file = slaFile("""
                defaults: {normal: PT120H, urgent: PT48H}
                deadlines:
                  auto: {critical: PT2H}
                """);

        assertThatThrownBy(() -> SlaPolicy.load(file))
                .hasMessageStartingWith(file + ": deadlines.auto names unknown priority 'critical'");
    }

    @Test
    void rejectsAZeroDecisionTime() throws IOException {
        Path file = slaFile("""
                defaults: {normal: PT120H, urgent: PT48H}
                deadlines:
                  auto: {urgent: PT0S}
                """);

        assertThatThrownBy(() -> SlaPolicy.load(file))
                .hasMessage(file + ": deadlines.auto.urgent must be a positive duration, was PT0S");
    }

    @Test
    void rejectsADecisionTimeThatIsNotIso8601() throws IOException {
        Path file = slaFile("""
                defaults: {normal: PT120H, urgent: PT48H}
                deadlines:
                  auto: {urgent: 24 hours}
                """);

        assertThatThrownBy(() -> SlaPolicy.load(file))
                .hasMessage(file + ": deadlines.auto: field 'urgent' must be an ISO-8601 duration such as PT72H"
                        + " or P365D, was \"24 hours\"");
    }

    @Test
    void rejectsAMisspeltSection() throws IOException {
        Path file = slaFile("defaults: {normal: PT120H, urgent: PT48H}\ndeadline:\n  auto: {urgent: PT6H}\n");

        assertThatThrownBy(() -> SlaPolicy.load(file))
                .hasMessage(file + ": unknown field 'deadline' (expected one of: defaults, deadlines)");
    }
}
