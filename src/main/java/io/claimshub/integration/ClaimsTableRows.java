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
import java.util.function.Function;

/**
 * The {@code claims} table's columns (src/main/resources/sql/claims-table.sql) and how each is read from the claim's
 * snapshot fields ({@link ClaimState#toFields()}, the same strings the {@code claim:{id}} hash holds). Only what legacy
 * reporting needs: the claimant's name, e-mail and phone and the free-text fields (description, rejection and
 * investigation texts) are left out, so the legacy database holds no personal data of the hub's. Timestamps are
 * kept to the microsecond (PostgreSQL's precision; the hub's clock may give nanoseconds).
 */
public final class ClaimsTableRows {

    /** A column, the snapshot field it comes from, and how that field's text becomes the column's value. */
    public record Column(String name, String field, Function<String, Object> type) {
    }

    private static final Function<String, Object> TEXT = s -> s;
    private static final Function<String, Object> BIGINT = Long::valueOf;
    private static final Function<String, Object> INTEGER = Integer::valueOf;
    private static final Function<String, Object> NUMERIC = BigDecimal::new;
    private static final Function<String, Object> DATE = LocalDate::parse;
    private static final Function<String, Object> BOOLEAN = Boolean::valueOf;
    private static final Function<String, Object> TIMESTAMP = ClaimsTableRows::timestamp;

    public static final List<Column> CLAIMS = List.of(
            new Column("claim_id", "claimId", TEXT),
            new Column("version", "version", BIGINT),
            new Column("status", "status", TEXT),
            new Column("policy_number", "policyNumber", TEXT),
            new Column("claim_type", "claimType", TEXT),
            new Column("incident_date", "incidentDate", DATE),
            new Column("amount_claimed", "amountClaimed", NUMERIC),
            new Column("currency", "currency", TEXT),
            new Column("region", "region", TEXT),
            new Column("priority", "priority", TEXT),
            new Column("assignee_id", "assigneeId", TEXT),
            new Column("assignee_name", "assigneeName", TEXT),
            new Column("sla_deadline", "slaDeadline", TIMESTAMP),
            new Column("approved_amount", "approvedAmount", NUMERIC),
            new Column("rejection_reason_code", "rejectionReasonCode", TEXT),
            new Column("payment_id", "paymentId", TEXT),
            new Column("payment_amount", "paymentAmount", NUMERIC),
            new Column("investigation_required", "investigationRequired", BOOLEAN),
            new Column("investigation_outcome", "investigationOutcome", TEXT),
            new Column("documents_count", "documentsCount", INTEGER),
            new Column("submitted_at", "submittedAt", TIMESTAMP),
            new Column("assigned_at", "assignedAt", TIMESTAMP),
            new Column("approved_at", "approvedAt", TIMESTAMP),
            new Column("rejected_at", "rejectedAt", TIMESTAMP),
            new Column("payment_initiated_at", "paymentInitiatedAt", TIMESTAMP),
            new Column("paid_at", "paidAt", TIMESTAMP),
            new Column("sla_breached_at", "slaBreachedAt", TIMESTAMP),
            new Column("last_event_id", "lastEventId", TEXT),
            new Column("last_event_at", "lastEventAt", TIMESTAMP));

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
            row.put(column.name(), text == null ? null : column.type().apply(text));
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

    // the databases keep microseconds (PostgreSQL's precision); the hub's clock may give nanoseconds
    private static Object timestamp(String text) {
        return Instant.parse(text).truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
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
