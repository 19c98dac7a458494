package io.claimshub.integration;

import io.claimshub.event.ClaimPolicyChecked;
import io.claimshub.event.ClaimType;
import io.claimshub.event.Money;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the policy query's row into the {@code claim.policy.checked} verdict. The query (hub.policy.query) returns at
 * most one row for the claim's policy, with the columns {@code policy_status} (the policy system's own status;
 * {@code cancelled} ends cover), {@code valid_from}, {@code valid_to} (null: open-ended), {@code currency},
 * {@code covered_type} (null when the policy does not cover the claim's type), {@code coverage_limit} and
 * {@code deductible}. No row: the policy is unknown.
 */
public final class PolicyVerdict {

    private PolicyVerdict() {
    }

    public static ClaimPolicyChecked decide(Map<String, Object> rowOrNull, String policyNumber, ClaimType claimType,
                                            LocalDate incidentDate, String claimCurrency) {
        if (rowOrNull == null) {
            return notCovered("not-found", "policy " + policyNumber + " is not in the policy system");
        }
        Map<String, Object> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        row.putAll(rowOrNull);
        String status = text(row.get("policy_status"));
        LocalDate from = date(row.get("valid_from"));
        LocalDate to = date(row.get("valid_to"));
        if ("cancelled".equalsIgnoreCase(status)) {
            return notCovered("cancelled", "policy " + policyNumber + " is cancelled");
        }
        if (from != null && incidentDate.isBefore(from)) {
            return notCovered("not-yet-in-force", "policy " + policyNumber + " was not yet in force on "
                    + incidentDate + " (in force from " + from + ")");
        }
        if (to != null && incidentDate.isAfter(to)) {
            return notCovered("lapsed", "policy " + policyNumber + " had lapsed on " + incidentDate
                    + " (in force until " + to + ")");
        }
        if (row.get("covered_type") == null) {
            return notCovered("in-force", "policy " + policyNumber + " does not cover " + claimType.wireName()
                    + " claims");
        }
        String currency = text(row.get("currency"));
        if (currency != null && !currency.trim().equalsIgnoreCase(claimCurrency)) {
            return notCovered("in-force", "policy " + policyNumber + " pays in " + currency.trim().toUpperCase(Locale.ROOT)
                    + ", the claim is in " + claimCurrency);
        }
        BigDecimal limit = amount(row.get("coverage_limit"));
        BigDecimal deductible = amount(row.get("deductible"));
        if (limit == null) {
            return notCovered("in-force", "policy " + policyNumber + " has no coverage limit for "
                    + claimType.wireName() + " claims");
        }
        return new ClaimPolicyChecked(true, "in-force", new Money(limit, claimCurrency),
                new Money(deductible == null ? BigDecimal.ZERO : deductible, claimCurrency), null);
    }

    private static ClaimPolicyChecked notCovered(String status, String reason) {
        return new ClaimPolicyChecked(false, status, null, null, reason);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static BigDecimal amount(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString().trim());
    }

    private static LocalDate date(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.sql.Date sqlDate) {
            return sqlDate.toLocalDate();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime().toLocalDate();
        }
        if (value instanceof LocalDate localDate) {
            return localDate;
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.toLocalDate();
        }
        if (value instanceof OffsetDateTime dateTime) {
            return dateTime.toLocalDate();
        }
        return LocalDate.parse(value.toString().trim().substring(0, 10));
    }
}
