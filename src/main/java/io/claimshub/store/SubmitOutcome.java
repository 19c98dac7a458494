package io.claimshub.store;

import io.claimshub.event.FieldError;
import java.util.List;
import java.util.UUID;

/** The answer to a claim submission. */
public sealed interface SubmitOutcome {

    /** The claim exists as {@code claimId} at {@code version} (1); also the answer to a retried submission. */
    record Accepted(String claimId, UUID eventId, long version) implements SubmitOutcome {
    }

    /** The submission's data breaks its schema; nothing was written. */
    record Invalid(List<FieldError> errors) implements SubmitOutcome {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }

    /** The idempotency key was used for another payload within its window; nothing was written. */
    record KeyReused() implements SubmitOutcome {
    }

    /** A submission with the same idempotency key is still in flight; nothing was written, try again later. */
    record KeyInFlight() implements SubmitOutcome {
    }
}
