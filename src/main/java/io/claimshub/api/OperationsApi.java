package io.claimshub.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.assignment.UnassignedClaims;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.sla.SlaBreaches;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The operations side of the REST API, free of HTTP plumbing: recent SLA breaches and the claims waiting for an
 * adjuster. Read-only; see docs/api.md.
 */
public final class OperationsApi {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final SlaBreaches breaches;
    private final UnassignedClaims unassigned;
    private final Clock clock;

    public OperationsApi(SlaBreaches breaches, UnassignedClaims unassigned, Clock clock) {
        this.breaches = breaches;
        this.unassigned = unassigned;
        this.clock = clock;
    }

    /** {@code GET /api/sla/breaches?limit=N}: the most recent breaches, newest first. */
    public ApiResponse slaBreaches(String limit) {
        Integer n = limit(limit);
        if (n == null) {
            return badLimit(limit);
        }
        ObjectNode body = EventJson.mapper().createObjectNode();
        ArrayNode list = body.putArray("breaches");
        for (SlaBreaches.SlaBreach breach : breaches.recent(n)) {
            list.addObject()
                    .put("claimId", breach.claimId())
                    .put("adjusterId", breach.adjusterId())
                    .put("slaDeadline", breach.slaDeadline().toString())
                    .put("breachedAt", breach.breachedAt().toString());
        }
        return ApiResponse.json(200, body);
    }

    /**
     * {@code GET /api/assignment/unassigned?limit=N}: how many claims wait for an adjuster, and the {@code limit}
     * waiting longest, oldest submission first, each with the whole seconds it has waited since its submission.
     */
    public ApiResponse unassignedClaims(String limit) {
        Integer n = limit(limit);
        if (n == null) {
            return badLimit(limit);
        }
        // the count first: a claim queued in between shows in the list but not the count, never the other way round
        long count = unassigned.count();
        List<UnassignedClaims.UnassignedClaim> oldest = unassigned.oldest(n);
        Instant now = clock.instant();
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("count", count);
        ArrayNode list = body.putArray("claims");
        for (UnassignedClaims.UnassignedClaim claim : oldest) {
            list.addObject()
                    .put("claimId", claim.claimId())
                    .put("submittedAt", claim.submittedAt().toString())
                    .put("waitingSeconds", Math.max(0, Duration.between(claim.submittedAt(), now).toSeconds()));
        }
        return ApiResponse.json(200, body);
    }

    /** The {@code limit} query parameter: absent means the default; given (even empty), a whole number 1..MAX_LIMIT. */
    static Integer limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit.isEmpty() || limit.length() > 4 || !limit.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int n = Integer.parseInt(limit);
        return n >= 1 && n <= MAX_LIMIT ? n : null;
    }

    private static ApiResponse badLimit(String limit) {
        return Problems.invalid(new FieldError("limit", "'" + limit + "' is not a whole number from 1 to "
                + MAX_LIMIT));
    }
}
