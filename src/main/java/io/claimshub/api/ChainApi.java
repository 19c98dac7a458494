package io.claimshub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.EventChain;
import java.util.Optional;

/**
 * {@code GET /api/claims/{claimId}/verify}: recomputes the claim's hash chain (EventChain) from its stream and
 * names the first link that does not hold (docs/security-chain.md).
 */
public final class ChainApi {

    private final ClaimEventStore store;

    public ChainApi(ClaimEventStore store) {
        this.store = store;
    }

    public ApiResponse verify(String claimId) {
        if (!ClaimIds.isValid(claimId)) {
            return Problems.invalid(new FieldError("claimId", "'" + claimId
                    + "' is not a claim id; expected CLM- followed by 8 characters from A-Z and 0-9"));
        }
        Optional<EventChain.Verification> checked = store.verifyChain(claimId);
        if (checked.isEmpty()) {
            return Problems.notFound("no claim " + claimId);
        }
        EventChain.Verification verification = checked.get();
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("claimId", claimId);
        body.put("valid", verification.valid());
        body.put("events", verification.events());
        body.put("keyed", store.chain().keyed());
        if (verification.unchainedBefore() > 0) {
            body.put("unchainedBefore", verification.unchainedBefore());
        }
        if (verification.valid()) {
            if (verification.head() != null) {
                body.put("head", verification.head());
            }
        } else {
            body.put("firstBrokenVersion", verification.firstBrokenVersion());
            body.put("firstBrokenEntryId", verification.firstBrokenEntryId());
            body.put("reason", verification.reason());
        }
        return ApiResponse.json(200, body);
    }
}
