package io.claimshub.store;

import io.claimshub.claim.ClaimState;
import io.claimshub.event.FieldError;
import java.util.List;
import java.util.UUID;

/** The answer to an event pushed for an existing claim. */
public sealed interface PushOutcome {

    /** The event is the claim's entry {@code version}; also the answer to a retry of an appended event id. */
    record Accepted(String claimId, UUID eventId, long version) implements PushOutcome {
    }

    /** The event type, claim id or data is not valid; nothing was written. */
    record Invalid(List<FieldError> errors) implements PushOutcome {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }

    /** No claim has this id. */
    record NotFound(String claimId) implements PushOutcome {
    }

    /** The claim cannot take the event now (the lifecycle refuses it, or the client's version is stale). */
    record Conflict(String reason, ClaimState state, long currentVersion) implements PushOutcome {
    }
}
