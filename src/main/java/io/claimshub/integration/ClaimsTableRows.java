package io.claimshub.integration;

import io.claimshub.claim.ClaimState;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code claims} table's columns (src/main/resources/sql/claims-table.sql) and how each is read from the claim's
 * snapshot fields ({@link ClaimState#toFields()}, the same strings the {@code claim:{id}} hash holds). Only what legacy
 * reporting needs: the claimant's name, e-mail and phone and the free-text fields (description, rejection and
 * investigation texts) are left out, so the legacy database holds no personal data of the hub's. Timestamps are
 * kept to the microsecond (PostgreSQL's precision; the hub's clock may give nanoseconds).
 *
 * <p>Rows take two forms: JDBC values by column name ({@link #row}, {@link #eventRow}; H2's per-row statements), and
 * one JSON array per table and batch ({@link #claimsJson}, {@link #eventsJson}; PostgreSQL's
 * {@code json_to_recordset}), whose values are the snapshot's text, checked as the JDBC form would parse it.
 */
public final class ClaimsTableRows {

    /** How a snapshot field's text becomes a column's value. */
    public enum Kind {
        TEXT, BIGINT, INTEGER, NUMERIC, DATE, BOOLEAN, TIMESTAMP;

        /** The value for JDBC. */
        Object value(String text) {
            return switch (this) {
                case TEXT -> text;
                case BIGINT -> Long.valueOf(text);
                case INTEGER -> Integer.valueOf(text);
                case NUMERIC -> new BigDecimal(text);
                case DATE -> LocalDate.parse(text);
                case BOOLEAN -> Boolean.valueOf(text);
                case TIMESTAMP -> instant(text).atOffset(ZoneOffset.UTC);
            };
        }

        /**
         * The value as text the database parses to what {@link #value} gives: checked the same way (an unreadable
         * value fails the batch here, never becomes something else in the database), timestamps cut to microseconds.
         * The common shapes are checked by hand, the rest parsed.
         */
        String text(String text) {
            return switch (this) {
                case TEXT -> text;
                case BIGINT -> isInteger(text, 18) ? text : Long.valueOf(text).toString();
                case INTEGER -> isInteger(text, 9) ? text : Integer.valueOf(text).toString();
                case NUMERIC -> isDecimal(text) ? text : new BigDecimal(text).toString();
                case DATE -> isDate(text, 0) && text.length() == 10 ? text : LocalDate.parse(text).toString();
                case BOOLEAN -> Boolean.toString(Boolean.parseBoolean(text));
                case TIMESTAMP -> timestampText(text);
            };
        }
    }

    /** A column, the snapshot field it comes from, and how that field's text becomes the column's value. */
    public record Column(String name, String field, Kind kind) {
    }

    public static final List<Column> CLAIMS = List.of(
            new Column("claim_id", "claimId", Kind.TEXT),
            new Column("version", "version", Kind.BIGINT),
            new Column("status", "status", Kind.TEXT),
            new Column("policy_number", "policyNumber", Kind.TEXT),
            new Column("claim_type", "claimType", Kind.TEXT),
            new Column("incident_date", "incidentDate", Kind.DATE),
            new Column("amount_claimed", "amountClaimed", Kind.NUMERIC),
            new Column("currency", "currency", Kind.TEXT),
            new Column("region", "region", Kind.TEXT),
            new Column("priority", "priority", Kind.TEXT),
            new Column("assignee_id", "assigneeId", Kind.TEXT),
            new Column("assignee_name", "assigneeName", Kind.TEXT),
            new Column("sla_deadline", "slaDeadline", Kind.TIMESTAMP),
            new Column("approved_amount", "approvedAmount", Kind.NUMERIC),
            new Column("rejection_reason_code", "rejectionReasonCode", Kind.TEXT),
            new Column("payment_id", "paymentId", Kind.TEXT),
            new Column("payment_amount", "paymentAmount", Kind.NUMERIC),
            new Column("investigation_required", "investigationRequired", Kind.BOOLEAN),
            new Column("investigation_outcome", "investigationOutcome", Kind.TEXT),
            new Column("documents_count", "documentsCount", Kind.INTEGER),
            new Column("submitted_at", "submittedAt", Kind.TIMESTAMP),
            new Column("assigned_at", "assignedAt", Kind.TIMESTAMP),
            new Column("approved_at", "approvedAt", Kind.TIMESTAMP),
            new Column("rejected_at", "rejectedAt", Kind.TIMESTAMP),
            new Column("payment_initiated_at", "paymentInitiatedAt", Kind.TIMESTAMP),
            new Column("paid_at", "paidAt", Kind.TIMESTAMP),
            new Column("sla_breached_at", "slaBreachedAt", Kind.TIMESTAMP),
            new Column("last_event_id", "lastEventId", Kind.TEXT),
            new Column("last_event_at", "lastEventAt", Kind.TIMESTAMP));

    /** The snapshot fields the columns come from, in column order. */
    public static final List<String> FIELDS = CLAIMS.stream().map(Column::field).toList();

    private ClaimsTableRows() {
    }

    /** The claim's row: column name to value (null for a field the snapshot does not have), in column order. */
    public static Map<String, Object> row(ClaimState claim) {
        return row(claim.toFields());
    }

    /** The row of a claim's snapshot fields as stored in its hash. */
    public static Map<String, Object> row(Map<String, String> snapshotFields) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column column : CLAIMS) {
            String text = snapshotFields.get(column.field());
            row.put(column.name(), text == null ? null : column.kind().value(text));
        }
        return row;
    }

    /** A {@code claim_events} row. */
    public static Map<String, Object> eventRow(String claimId, long version, String eventId, String eventType,
                                               Instant occurredAt, String logEntryId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("claim_id", claimId);
        row.put("version", version);
        row.put("event_id", eventId);
        row.put("event_type", eventType);
        row.put("occurred_at", occurredAt.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
        row.put("log_entry_id", logEntryId);
        return row;
    }

    /**
     * The claims' rows as one JSON array, an object per claim with the column names as keys and the values as text
     * ({@link Kind#text}); a field the snapshot does not have is left out (NULL).
     */
    public static String claimsJson(List<Map<String, String>> claims) {
        StringBuilder json = new StringBuilder(claims.size() * 1100 + 2).append('[');
        for (Map<String, String> claim : claims) {
            if (json.length() > 1) {
                json.append(',');
            }
            char separator = '{';
            for (Column column : CLAIMS) {
                String text = claim.get(column.field());
                if (text != null) {
                    json.append(separator).append('"').append(column.name()).append("\":");
                    jsonString(json, column.kind().text(text));
                    separator = ',';
                }
            }
            json.append(separator == '{' ? "{}" : "}");
        }
        return json.append(']').toString();
    }

    /** The {@code claim_events} rows as one JSON array (as {@link #claimsJson}). */
    public static String eventsJson(List<IntegrationBatch.ClaimEvent> events) {
        StringBuilder json = new StringBuilder(events.size() * 200 + 2).append('[');
        for (IntegrationBatch.ClaimEvent event : events) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"claim_id\":");
            jsonString(json, event.claimId());
            json.append(",\"version\":").append(event.version()).append(",\"event_id\":");
            jsonString(json, event.eventId());
            json.append(",\"event_type\":");
            jsonString(json, event.eventType());
            json.append(",\"occurred_at\":");
            jsonString(json, event.occurredAt());
            json.append(",\"log_entry_id\":");
            jsonString(json, event.logEntryId());
            json.append('}');
        }
        return json.append(']').toString();
    }

    // a JSON string (RFC 8259): quotation mark, reverse solidus and control characters escaped, the rest as is
    static void jsonString(StringBuilder json, String text) {
        json.append('"');
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                json.append(text, from, i);
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    case '\n' -> json.append("\\n");
                    case '\r' -> json.append("\\r");
                    case '\t' -> json.append("\\t");
                    default -> json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
                from = i + 1;
            }
        }
        json.append(text, from, text.length()).append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * An ISO-8601 UTC instant ({@code 2026-03-01T10:15:30.123456789Z}, as {@link Instant#toString()} writes it) cut to
     * microseconds; other spellings are parsed ({@link Instant#parse}, which refuses what is not an instant).
     */
    public static String timestampText(String text) {
        int length = text.length();
        if (length >= 20 && length <= 30 && text.charAt(length - 1) == 'Z' && isDate(text, 0) && text.charAt(10) == 'T'
                && digits(text, 11, 2) && text.charAt(13) == ':' && digits(text, 14, 2) && text.charAt(16) == ':'
                && digits(text, 17, 2)) {
            if (length == 20) {
                return text;
            }
            int fraction = length - 21;
            if (text.charAt(19) == '.' && fraction >= 1 && digits(text, 20, fraction)) {
                return fraction <= 6 ? text : text.substring(0, 26) + 'Z';
            }
        }
        return instant(text).toString();
    }

    private static Instant instant(String text) {
        return Instant.parse(text).truncatedTo(ChronoUnit.MICROS);
    }

    // yyyy-mm-dd at from
    private static boolean isDate(String text, int from) {
        return text.length() >= from + 10 && digits(text, from, 4) && text.charAt(from + 4) == '-'
                && digits(text, from + 5, 2) && text.charAt(from + 7) == '-' && digits(text, from + 8, 2);
    }

    private static boolean digits(String text, int from, int count) {
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isInteger(String text, int maxDigits) {
        int start = text.startsWith("-") ? 1 : 0;
        int count = text.length() - start;
        return count >= 1 && count <= maxDigits && digits(text, start, count);
    }

    // -?digits[.digits]
    private static boolean isDecimal(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int dot = text.indexOf('.');
        if (dot < 0) {
            return text.length() > start && text.length() - start <= 40 && digits(text, start, text.length() - start);
        }
        return dot > start && dot < text.length() - 1 && text.length() <= 42 && digits(text, start, dot - start)
                && digits(text, dot + 1, text.length() - dot - 1);
    }

    /** A timestamp column's value as an instant (JDBC drivers answer OffsetDateTime or Timestamp). */
    public static Instant instant(Object value) {
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalArgumentException("not a timestamp: " + value);
    }
}
