package io.claimshub.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdjusterRosterTest {

    @TempDir
    Path dir;

    private static final String VALID_ENTRY = """
              - id: ADJ-01
                name: Maria Keller
                email: maria.keller@claimshub.example
                phone: "+41 44 555 01 01"
                claimTypes: [auto]
                regions: [north]
                seniority: SENIOR
                authorityLimit: 75000.00
                maxOpenClaims: 30
            """;

    private Path rosterFile(String yaml) throws IOException {
        return Files.writeString(dir.resolve("adjusters.yaml"), yaml);
    }

    /** A roster of one valid adjuster ADJ-01 followed by ADJ-02 with {@code field: value}. */
    private Path rosterWithSecondAdjusterHaving(String field, String value) throws IOException {
        String second = VALID_ENTRY.replace("ADJ-01", "ADJ-02")
                .replaceAll("(?m)^(\\s+)" + field + ":.*$", "$1" + field + ": " + value);
        return rosterFile("adjusters:\n" + VALID_ENTRY + second);
    }

    @Test
    void loadsTheSampleRoster() {
        AdjusterRoster roster = AdjusterRoster.load(Rosters.SAMPLE_ROSTER);

        assertThat(roster.size()).isEqualTo(8);
        Adjuster chen = roster.find("ADJ-05").orElseThrow();
        assertThat(chen.covers("any-region")).isTrue();
        assertThat(chen.handles("health")).isTrue();
        assertThat(chen.seniority()).isEqualTo(Seniority.SENIOR);
        assertThat(roster.find("ADJ-07").orElseThrow().authorityLimit()).isEqualByComparingTo("10000.00");
    }

    @Test
    void keepsAmountsAsWritten() throws IOException {
        AdjusterRoster roster = AdjusterRoster.load(rosterFile("adjusters:\n" + VALID_ENTRY));

        assertThat(roster.find("ADJ-01").orElseThrow().authorityLimit()).isEqualTo(new BigDecimal("75000.00"));
    }

    @Test
    void rejectsADuplicateId() throws IOException {
        Path file = rosterFile("adjusters:\n" + VALID_ENTRY + VALID_ENTRY);

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(file + ": adjuster ADJ-01 is listed more than once");
    }

    @Test
    void rejectsEmptyClaimTypesNamingTheAdjuster() throws IOException {
        Path file = rosterWithSecondAdjusterHaving("claimTypes", "[]");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(file + ": adjuster ADJ-02: claimTypes must list at least one claim type");
    }

    @Test
    void rejectsAnUnknownClaimType() throws IOException {
        Path file = rosterWithSecondAdjusterHaving("claimTypes", "[atuo]");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessageStartingWith(file + ": adjuster ADJ-02: claimTypes contains unknown claim type 'atuo'");
    }

    @Test
    void rejectsEmptyRegions() throws IOException {
        Path file = rosterWithSecondAdjusterHaving("regions", "[]");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessage(file + ": adjuster ADJ-02: regions must list at least one region (or \"*\")");
    }

    @Test
    void rejectsAZeroAuthorityLimit() throws IOException {
        Path file = rosterWithSecondAdjusterHaving("authorityLimit", "0");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessage(file + ": adjuster ADJ-02: authorityLimit must be positive, was 0");
    }

    @Test
    void rejectsANegativeAuthorityLimit() throws IOException {
        Path file = rosterWithSecondAdjusterHaving("authorityLimit", "-0.01");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessage(file + ": adjuster ADJ-02: authorityLimit must be positive, was -0.01");
    }

    @Test
    void rejectsAnAuthorityLimitThatIsNotANumber() throws IOException {
        Path file = rosterWithSecondAdjusterHaving("authorityLimit", "lots");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessage(file + ": adjuster ADJ-02: field 'authorityLimit' must be a number, was \"lots\"");
    }

    @Test
    void rejectsZeroMaxOpenClaims() throws IOException {
        Path file = rosterWithSecondAdjusterHaving("maxOpenClaims", "0");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessage(file + ": adjuster ADJ-02: maxOpenClaims must be positive, was 0");
    }

    @Test
    void rejectsAnUnknownSeniority() throws IOException {
        Path file = rosterWithSecondAdjusterHaving("seniority", "PRINCIPAL");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessage(file + ": adjuster ADJ-02: field 'seniority' must be one of [JUNIOR, SENIOR], was 'PRINCIPAL'");
    }

    @Test
    void rejectsAMisspeltField() throws IOException {
        Path file = rosterFile("adjusters:\n" + VALID_ENTRY.replace("maxOpenClaims", "maxOpenClaim"));

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessageStartingWith(file + ": adjuster ADJ-01: unknown field 'maxOpenClaim'");
    }

    @Test
    void rejectsAnEntryWithoutId() throws IOException {
        Path file = rosterFile("adjusters:\n" + VALID_ENTRY + VALID_ENTRY.replace("- id: ADJ-01", "- name: X"));

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessage(file + ": adjusters entry #2: missing field 'id'");
    }

    @Test
    void rejectsAnEmptyRoster() throws IOException {
        Path file = rosterFile("adjusters: []\n");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .hasMessage(file + ": the roster must list at least one adjuster");
    }

    @Test
    void rejectsAFileThatIsNotYaml() throws IOException {
        Path file = rosterFile("adjusters: [\n  - id: ADJ-01\n");

        assertThatThrownBy(() -> AdjusterRoster.load(file))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(file + ": is not valid YAML");
    }

    @Test
    void rejectsAMissingFile() {
        Path file = dir.resolve("nowhere.yaml");

        assertThatThrownBy(() -> AdjusterRoster.load(file)).hasMessage(file + ": no such file");
    }

    @Test
    void rosterAndAdjustersCannotBeChangedAfterLoading() {
        AdjusterRoster roster = AdjusterRoster.load(Rosters.SAMPLE_ROSTER);

        assertThatThrownBy(() -> roster.adjusters().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> roster.find("ADJ-01").orElseThrow().regions().add("west"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
