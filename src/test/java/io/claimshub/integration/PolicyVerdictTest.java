package io.claimshub.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimshub.event.ClaimPolicyChecked;
import io.claimshub.event.ClaimType;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.EventValidator;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict on the policy query's row, the sample file loader and the event's schema. */
class PolicyVerdictTest {

    private static final LocalDate INCIDENT = LocalDate.parse("2026-02-27");

    private static Map<String, Object> row(String status, String from, String to, String currency, String type) {
        Map<String, Object> row = new HashMap<>();
        row.put("POLICY_STATUS", status); // H2 answers upper-case labels, PostgreSQL lower-case
        row.put("valid_from", java.sql.Date.valueOf(from));
        row.put("valid_to", to == null ? null : java.sql.Date.valueOf(to));
        row.put("currency", currency);
        row.put("covered_type", type);
        row.put("coverage_limit", new BigDecimal("25000.00"));
        row.put("deductible", new BigDecimal("250.00"));
        return row;
    }

    private static ClaimPolicyChecked decide(Map<String, Object> row) {
        return PolicyVerdict.decide(row, "POL-1", ClaimType.AUTO, INCIDENT, "EUR");
    }

    @Test
    void eachStandingOfThePolicyGivesItsVerdict() {
        assertThat(decide(row("active", "2025-01-01", "2027-12-31", "EUR", "auto")))
                .isEqualTo(new ClaimPolicyChecked(true, "in-force", io.claimshub.event.Money.of("25000.00", "EUR"),
                        io.claimshub.event.Money.of("250.00", "EUR"), null));
        assertThat(decide(row("active", "2026-03-01", null, "EUR", "auto")).policyStatus()).isEqualTo("not-yet-in-force");
        assertThat(decide(row("lapsed", "2024-01-01", "2026-02-26", "EUR", "auto")).policyStatus()).isEqualTo("lapsed");
        assertThat(decide(row("active", "2024-01-01", "2026-02-27", "EUR", "auto")).covered()).isTrue();
        assertThat(decide(row("cancelled", "2025-01-01", null, "EUR", "auto")).policyStatus()).isEqualTo("cancelled");
        ClaimPolicyChecked otherCurrency = decide(row("active", "2025-01-01", null, "USD", "auto"));
        assertThat(otherCurrency.covered()).isFalse();
        assertThat(otherCurrency.reason()).isEqualTo("policy POL-1 pays in USD, the claim is in EUR");
        assertThat(decide(null).policyStatus()).isEqualTo("not-found");
    }

    @Test
    void everyVerdictIsAValidClaimPolicyCheckedEvent() {
        EventValidator validator = new EventValidator();
        for (ClaimPolicyChecked verdict : new ClaimPolicyChecked[] {
                decide(row("active", "2025-01-01", null, "EUR", "auto")),
                decide(row("active", "2025-01-01", null, "EUR", null)), decide(null)}) {
            assertThat(validator.validateData(EventType.CLAIM_POLICY_CHECKED, EventJson.toObjectNode(verdict))).isEmpty();
        }
        assertThat(validator.validateData(EventType.CLAIM_POLICY_CHECKED,
                EventJson.toObjectNode(new ClaimPolicyChecked(true, "in-force", null, null, null)))).isNotEmpty();
        assertThat(validator.validateData(EventType.CLAIM_POLICY_CHECKED,
                EventJson.toObjectNode(new ClaimPolicyChecked(false, "lapsed", null, null, null)))).isNotEmpty();
    }

    @Test
    void aBadSampleLineIsReportedWithItsFileAndLine(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("policies.csv"), """
                policy_number,status,valid_from,valid_to,currency,claim_type,coverage_limit,deductible
                POL-1,active,2025-01-01,,EUR,auto,1000.00,0.00
                POL-2,active,someday,,EUR,auto,1000.00,0.00
                """);
        try (Connection connection = DriverManager.getConnection(PolicyDatabases.h2Url(), "sa", "");
             Statement statement = connection.createStatement()) {
            for (String sql : PolicyDatabase.statements(PolicyDatabase.schema())) {
                statement.execute(sql);
            }
            assertThatThrownBy(() -> PolicyDatabase.load(connection, csv))
                    .hasMessageStartingWith(csv + " line 3: ");
        }
    }
}
