package io.claimshub.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.claimshub.integration.ClaimsTableRows.Kind;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The claims table's rows as PostgreSQL's statement takes them (JSON arrays of text): strings survive JSON whatever
 * they hold, and every value is checked as the JDBC form (H2's statements) would parse it.
 */
class ClaimsTableRowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void textWithQuotesBackslashesControlCharactersAndNonAsciiSurvivesTheJsonArray() throws Exception {
        String tricky = "PO\"L\\1\n\r\t\u0001 – ü 😀 '; DROP TABLE claims; --";
        Map<String, String> claim = new LinkedHashMap<>();
        claim.put("claimId", "CLM-7Q2K9XAB");
        claim.put("version", "3");
        claim.put("policyNumber", tricky);
        claim.put("assigneeName", "");

        JsonNode rows = JSON.readTree(ClaimsTableRows.claimsJson(List.of(claim, Map.of("claimId", "CLM-2"))));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("policy_number").asText()).isEqualTo(tricky);
        assertThat(rows.get(0).get("assignee_name").asText()).isEmpty();
        assertThat(rows.get(0).get("version").asText()).isEqualTo("3");
        // a field the snapshot does not have is left out (NULL in the table)
        assertThat(rows.get(0).has("approved_amount")).isFalse();
        assertThat(rows.get(1).get("claim_id").asText()).isEqualTo("CLM-2");
        assertThat(JSON.readTree(ClaimsTableRows.claimsJson(List.of()))).isEmpty();
    }

    @Test
    void eventRowsAreOneObjectEach() throws Exception {
        JsonNode rows = JSON.readTree(ClaimsTableRows.eventsJson(List.of(
                new IntegrationBatch.ClaimEvent("CLM-1", 2, "e\"1", "claim.assigned", "2026-03-01T10:15:30.123456Z",
                        "1700000000000-0"))));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("version").asLong()).isEqualTo(2);
        assertThat(rows.get(0).get("event_id").asText()).isEqualTo("e\"1");
        assertThat(rows.get(0).get("occurred_at").asText()).isEqualTo("2026-03-01T10:15:30.123456Z");
        assertThat(rows.get(0).get("log_entry_id").asText()).isEqualTo("1700000000000-0");
    }

    @Test
    void timestampsAreCutToMicroseconds() {
        assertThat(ClaimsTableRows.timestampText("2026-03-01T10:15:30.123456789Z")).isEqualTo("2026-03-01T10:15:30.123456Z");
        assertThat(ClaimsTableRows.timestampText("2026-03-01T10:15:30.123Z")).isEqualTo("2026-03-01T10:15:30.123Z");
        assertThat(ClaimsTableRows.timestampText("2026-03-01T10:15:30Z")).isEqualTo("2026-03-01T10:15:30Z");
        // another spelling of an instant is parsed
        assertThat(ClaimsTableRows.timestampText("2026-03-01T11:15:30.1234567+01:00"))
                .isEqualTo("2026-03-01T10:15:30.123456Z");
        // and what is not an instant refused, not handed to the database to read its own way
        for (String notAnInstant : List.of("now", "infinity", "epoch", "2026-03-01", "2026-03-01 10:15:30Z", "")) {
            assertThatThrownBy(() -> ClaimsTableRows.timestampText(notAnInstant))
                    .isInstanceOf(DateTimeParseException.class);
        }
    }

    @Test
    void valuesAreCheckedAsTheirJdbcFormReadsThem() {
        assertThat(Kind.BIGINT.text("42")).isEqualTo("42");
        assertThat(Kind.NUMERIC.text("1234.5600")).isEqualTo("1234.5600");
        assertThat(Kind.NUMERIC.text("-0.5")).isEqualTo("-0.5");
        assertThat(Kind.NUMERIC.text("1E+3")).isEqualTo("1E+3");
        assertThat(Kind.DATE.text("2026-02-27")).isEqualTo("2026-02-27");
        assertThat(Kind.BOOLEAN.text("true")).isEqualTo("true");
        assertThat(Kind.BOOLEAN.text("yes")).isEqualTo(String.valueOf(Kind.BOOLEAN.value("yes")));
        assertThat(Kind.INTEGER.text("7")).isEqualTo("7");
        // the database would read these its own way (NaN, Infinity, 'today'); the JDBC form refuses them, so do we
        assertThatThrownBy(() -> Kind.NUMERIC.text("NaN")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Kind.NUMERIC.text("Infinity")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Kind.BIGINT.text("1.5")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Kind.INTEGER.text("99999999999")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Kind.DATE.text("today")).isInstanceOf(DateTimeParseException.class);
    }
}
