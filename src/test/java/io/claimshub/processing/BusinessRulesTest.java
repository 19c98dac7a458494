package io.claimshub.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusinessRulesTest {

    @TempDir
    Path dir;

    private Path sampleWith(String field, String value) throws IOException {
        String yaml = Files.readString(Rosters.SAMPLE_RULES)
                .replaceAll("(?m)^(\\s*)" + field + ":.*$", "$1" + field + ": " + value);
        return Files.writeString(dir.resolve("rules.yaml"), yaml);
    }

    @Test
    void loadsTheSampleRules() {
        BusinessRules rules = BusinessRules.load(Rosters.SAMPLE_RULES);

        assertThat(rules.seniorThreshold()).isEqualByComparingTo("25000.00");
        assertThat(rules.usualMaximum("auto")).isEqualByComparingTo("20000.00");
        assertThat(rules.usualMaximum("travel")).isEqualByComparingTo("5000.00");
        assertThat(rules.unusualAmountFactor()).isEqualByComparingTo("3");
        assertThat(rules.maxIncidentAge()).isEqualTo(Duration.ofDays(365));
        assertThat(rules.futureIncidentTolerance()).isEqualTo(Duration.ofDays(1));
        assertThat(rules.repeatClaimantWindow()).isEqualTo(Duration.ofHours(720));
        assertThat(rules.repeatClaimantThreshold()).isEqualTo(3);
    }

    @Test
    void rejectsRulesWithoutAUsualMaximumForEveryClaimType() throws IOException {
        String withoutTravel = Files.readString(Rosters.SAMPLE_RULES).replaceAll("(?m)^\\s*travel:.*\\n", "");
        Path file = Files.writeString(dir.resolve("rules.yaml"), withoutTravel);

        assertThatThrownBy(() -> BusinessRules.load(file))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(file + ": usualMaximums has no entry for claim type 'travel'");
    }

    @Test
    void rejectsAZeroUsualMaximum() throws IOException {
        Path file = sampleWith("health", "0");

        assertThatThrownBy(() -> BusinessRules.load(file))
                .hasMessage(file + ": usualMaximums.health must be positive, was 0");
    }

    @Test
    void rejectsANegativeSeniorThreshold() throws IOException {
        Path file = sampleWith("seniorThreshold", "-1");

        assertThatThrownBy(() -> BusinessRules.load(file))
                .hasMessage(file + ": seniorThreshold must be positive, was -1");
    }

    @Test
    void rejectsAMaxIncidentAgeThatIsNotWholeDays() throws IOException {
        Path file = sampleWith("maxIncidentAge", "PT36H");

        assertThatThrownBy(() -> BusinessRules.load(file))
                .hasMessage(file + ": maxIncidentAge must be a positive whole number of days such as P365D, was PT36H");
    }

    @Test
    void acceptsZeroFutureIncidentTolerance() throws IOException {
        Path file = sampleWith("futureIncidentTolerance", "P0D");

        assertThat(BusinessRules.load(file).futureIncidentTolerance()).isZero();
    }

    @Test
    void rejectsADurationThatIsNotIso8601() throws IOException {
        Path file = sampleWith("repeatClaimantWindow", "30 days");

        assertThatThrownBy(() -> BusinessRules.load(file))
                .hasMessage(file + ": field 'repeatClaimantWindow' must be an ISO-8601 duration such as PT72H or P365D,"
                        + " was \"30 days\"");
    }

    @Test
    void rejectsARepeatClaimantThresholdThatWouldFlagEveryClaim() throws IOException {
        Path file = sampleWith("repeatClaimantThreshold", "1");

        assertThatThrownBy(() -> BusinessRules.load(file))
                .hasMessage(file + ": repeatClaimantThreshold must be at least 2, was 1");
    }

    @Test
    void rejectsAMissingField() throws IOException {
        Path file = sampleWith("seniorThreshold", "~");

        assertThatThrownBy(() -> BusinessRules.load(file))
                .hasMessage(file + ": missing field 'seniorThreshold'");
    }
}
