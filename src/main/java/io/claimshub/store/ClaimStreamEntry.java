package io.claimshub.store;

import io.claimshub.event.StoredEvent;

/** One entry of a claim's stream: its Redis entry id and the event stored there. */
public record ClaimStreamEntry(String entryId, StoredEvent stored) {
}
