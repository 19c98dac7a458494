package io.claimshub.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.claimshub.event.EventJson;
import java.time.Instant;

/**
 * How far the analytics have counted one claim: the last version applied, that event's entry id in the claim's
 * stream, and the facts of earlier events that later ones need (when it was submitted, its type, region and
 * adjuster, when it was approved, what payment is under way).
 */
public record ClaimCursor(long version, String entryId, Instant submittedAt, String claimType, String region,
                          String adjuster, boolean assignedBefore, Instant approvedAt, Long paymentMinor,
                          String paymentCurrency) {

    /** A claim not counted yet. */
    public static final ClaimCursor NONE = new ClaimCursor(0, null, null, null, null, null, false, null, null, null);

    private record Facts(Instant submittedAt, String claimType, String region, String adjuster,
                         boolean assignedBefore, Instant approvedAt, Long paymentMinor, String paymentCurrency) {
    }

    ClaimCursor at(long newVersion, String newEntryId) {
        return new ClaimCursor(newVersion, newEntryId, submittedAt, claimType, region, adjuster, assignedBefore,
                approvedAt, paymentMinor, paymentCurrency);
    }

    ClaimCursor submitted(Instant at, String type, String inRegion) {
        return new ClaimCursor(version, entryId, at, type, inRegion, adjuster, assignedBefore, approvedAt,
                paymentMinor, paymentCurrency);
    }

    ClaimCursor assigned(String to) {
        return new ClaimCursor(version, entryId, submittedAt, claimType, region, to, true, approvedAt, paymentMinor,
                paymentCurrency);
    }

    ClaimCursor approved(Instant at) {
        return new ClaimCursor(version, entryId, submittedAt, claimType, region, adjuster, assignedBefore, at,
                paymentMinor, paymentCurrency);
    }

    ClaimCursor paying(Long minor, String currency) {
        return new ClaimCursor(version, entryId, submittedAt, claimType, region, adjuster, assignedBefore,
                approvedAt, minor, currency);
    }

    /** {@code "<version>|<entryId>|<facts as JSON>"}: the version first, so the apply script can compare it. */
    public String encode() {
        try {
            return version + "|" + entryId + "|" + EventJson.mapper().writeValueAsString(new Facts(submittedAt,
                    claimType, region, adjuster, assignedBefore, approvedAt, paymentMinor, paymentCurrency));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an analytics cursor", e);
        }
    }

    /** Reads {@link #encode()}'s text; null or empty is a claim not counted yet. */
    public static ClaimCursor decode(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        int first = text.indexOf('|');
        int second = text.indexOf('|', first + 1);
        try {
            Facts facts = EventJson.mapper().readValue(text.substring(second + 1), Facts.class);
            return new ClaimCursor(Long.parseLong(text.substring(0, first)), text.substring(first + 1, second),
                    facts.submittedAt(), facts.claimType(), facts.region(), facts.adjuster(), facts.assignedBefore(),
                    facts.approvedAt(), facts.paymentMinor(), facts.paymentCurrency());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("unreadable analytics cursor", e);
        }
    }
}
