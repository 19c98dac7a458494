package io.claimshub.integration;

import io.claimshub.component.redisstreams.RedisStreamsEntry;
import java.util.List;
import java.util.Map;

/**
 * One batch of the {@code integrations} group after it was checked against the claims' own streams: the entries to
 * hand to the policy and payment work streams, the touched claims as their streams stand now, as snapshot fields
 * (caught up from snapshot and stream, so already past the delivered events where later ones were appended), in
 * claim-id order, the delivered events,
 * and the entries dead-lettered instead, with the reason.
 */
public record IntegrationBatch(List<RedisStreamsEntry> policyChecks, List<RedisStreamsEntry> payments,
                               List<Map<String, String>> claims, List<Map<String, Object>> eventRows,
                               Map<String, String> deadLetters) {

    /** The {@code claims} rows, in claim-id order (so concurrent writers lock rows in one order). */
    public List<Map<String, Object>> claimRows() {
        return claims.stream().map(ClaimsTableRows::row).toList();
    }
}
