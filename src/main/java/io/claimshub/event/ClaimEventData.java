package io.claimshub.event;

/**
 * The typed {@code data} of a claim event, one record per {@link EventType}.
 * Records ignore unknown fields: the envelope keeps the raw data, so nothing a newer producer sent is lost.
 */
public sealed interface ClaimEventData
        permits ClaimSubmitted, ClaimAssigned, ClaimDocumentUploaded, ClaimInvestigated, ClaimApproved,
        ClaimRejected, ClaimPaymentInitiated, ClaimPaymentCompleted, ClaimSlaBreached, ClaimPolicyChecked, ClaimPaymentFailed {

    EventType eventType();
}
