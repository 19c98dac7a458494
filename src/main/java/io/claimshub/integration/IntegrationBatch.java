package io.claimshub.integration;

import io.claimshub.component.redisstreams.RedisStreamsEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One batch of the {@code integrations} group after it was checked against the claims' own streams: the entries to
 * hand to the policy and payment work streams, the touched claims as their streams stand now, as snapshot fields
 * (caught up from snapshot and stream, so already past the delivered events where later ones were appended; at least
 * the fields the claims table needs), one per claim, in claim-id order, the delivered events (one per claim and
 * version, in claim-id and version order), and the entries dead-lettered instead, with the reason.
 */
public record IntegrationBatch(List<RedisStreamsEntry> policyChecks, List<RedisStreamsEntry> payments,
                               List<Map<String, String>> claims, List<ClaimEvent> events,
                               Map<String, String> deadLetters) {

    /** A delivered event, as its {@code claim_events} row: the timestamp as text, cut to microseconds. */
    public record ClaimEvent(String claimId, long version, String eventId, String eventType, String occurredAt,
                             String logEntryId) {
    }

    /** The {@code claims} rows as JDBC values, in claim-id order (so concurrent writers lock rows in one order). */
    public List<Map<String, Object>> claimRows() {
        return claims.stream().map(ClaimsTableRows::row).toList();
    }

    /** The {@code claim_events} rows as JDBC values. */
    public List<Map<String, Object>> eventRows() {
        return events.stream().map(e -> ClaimsTableRows.eventRow(e.claimId(), e.version(), e.eventId(), e.eventType(),
                Instant.parse(e.occurredAt()), e.logEntryId())).toList();
    }
}
