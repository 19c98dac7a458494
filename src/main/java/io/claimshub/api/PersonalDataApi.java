package io.claimshub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.privacy.PersonalData;
import io.claimshub.store.ClaimEventStore;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code DELETE /api/claimants/{claimantId}/personal-data} (right to erasure: the claimant's data keys destroyed) and
 * {@code POST /api/ops/personal-data/rotate-master-key} (every data key rewrapped under the current master key).
 * See docs/data-protection.md.
 */
public final class PersonalDataApi {

    /** A claimant pseudonym: 16 bytes, base64url without padding. */
    private static final Pattern PSEUDONYM = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final int MAX_REASON = 500;

    private final PersonalData personalData;
    private final ClaimEventStore store;

    public PersonalDataApi(PersonalData personalData, ClaimEventStore store) {
        this.personalData = personalData;
        this.store = store;
    }

    /**
     * Erases the claimant's personal data. {@code claimantId} is the claimant's pseudonym, or any claim id of theirs
     * (the claimant of that claim is erased, with all their claims: they share one data key).
     */
    public ApiResponse erase(String claimantId, String operator, String reason) {
        if (!personalData.enabled()) {
            return Problems.notPossible("personal data encryption is off (hub.security.encryption=off): nothing can be"
                    + " erased by destroying a key");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            return Problems.invalid(new FieldError("reason", "is longer than " + MAX_REASON + " characters"));
        }
        String pseudonym;
        if (claimantId != null && ClaimIds.isValid(claimantId)) {
            Optional<ClaimState> claim = store.replay(claimantId);
            if (claim.isEmpty()) {
                return Problems.notFound("claim " + claimantId + " does not exist");
            }
            pseudonym = personalData.claimantOf(claim.get());
            if (pseudonym == null) {
                return Problems.notFound("claim " + claimantId
                        + " has no encrypted personal data (stored while encryption was off)");
            }
        } else if (claimantId != null && PSEUDONYM.matcher(claimantId).matches()) {
            pseudonym = claimantId;
        } else {
            return Problems.invalid(new FieldError("claimantId", "is neither a claim id (CLM-XXXXXXXX) nor a claimant"
                    + " id (22 characters of A-Z, a-z, 0-9, - and _)"));
        }
        String who = operator == null || operator.isBlank() ? "api" : operator.strip();
        return personalData.erase(pseudonym, who, reason == null || reason.isBlank() ? "erasure request" : reason)
                .map(erasure -> {
                    ObjectNode body = EventJson.mapper().createObjectNode();
                    body.put("claimantId", erasure.claimantId());
                    body.put("erased", true);
                    body.put("keysDestroyed", erasure.keysDestroyed());
                    body.put("erasedAt", erasure.erasedAt().toString());
                    return ApiResponse.json(200, body);
                })
                .orElseGet(() -> Problems.notFound("no personal data is kept for claimant " + pseudonym));
    }

    /** Rewraps every data key under the current master key (the previous one given as previous-master-key). */
    public ApiResponse rotateMasterKey(String operator) {
        if (!personalData.enabled()) {
            return Problems.notPossible("personal data encryption is off (hub.security.encryption=off)");
        }
        PersonalData.Rotation rotation = personalData.rotate(operator == null || operator.isBlank() ? "api"
                : operator.strip());
        return ApiResponse.json(200, EventJson.mapper().valueToTree(rotation));
    }
}
