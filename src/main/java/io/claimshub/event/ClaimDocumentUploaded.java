package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Data of {@code claim.document.uploaded}: a supporting document attached to the claim. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimDocumentUploaded(
        String documentId,
        String documentType,
        String fileName,
        String uploadedBy) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_DOCUMENT_UPLOADED;
    }
}
