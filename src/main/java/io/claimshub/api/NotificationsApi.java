package io.claimshub.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.notification.SendLedger;
import io.claimshub.store.ClaimEventStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/claims/{claimId}/notifications}: every notification of a claim with its state in the send ledger,
 * and every attempt and outcome (queued, retrying, sent, failed, skipped, unknown) in order. Addresses are masked.
 */
public final class NotificationsApi {

    private final SendLedger ledger;
    private final ClaimEventStore store;

    public NotificationsApi(SendLedger ledger, ClaimEventStore store) {
        this.ledger = ledger;
        this.store = store;
    }

    public ApiResponse notifications(String claimId) {
        if (!ClaimIds.isValid(claimId)) {
            return Problems.invalid(new FieldError("claimId", "'" + claimId + "' is not a claim id"));
        }
        if (store.currentVersion(claimId) == 0) {
            return Problems.notFound("no claim " + claimId);
        }
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("claimId", claimId);
        ArrayNode current = body.putArray("notifications");
        for (Map.Entry<String, String[]> entry : ledger.entries(claimId).entrySet()) {
            String[] state = entry.getValue();
            ObjectNode n = current.addObject();
            n.put("id", entry.getKey());
            n.put("state", state[0]);
            n.put("at", state.length > 1 && !state[1].isEmpty() ? Instant.ofEpochMilli(Long.parseLong(state[1])).toString() : null);
            n.put("detail", state.length > 2 ? state[2] : "");
        }
        ArrayNode attempts = body.putArray("attempts");
        List<Map<String, String>> history = ledger.history(claimId);
        for (Map<String, String> entry : history) {
            ObjectNode a = attempts.addObject();
            entry.forEach((k, v) -> a.put(k, k.equals("at") ? Instant.ofEpochMilli(Long.parseLong(v)).toString() : v));
        }
        return ApiResponse.json(200, body);
    }
}
