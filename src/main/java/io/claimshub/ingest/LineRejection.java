package io.claimshub.ingest;

import io.claimshub.event.FieldError;
import java.util.List;

/** One line of a file that was not ingested, as written to {@code <name>.errors.jsonl}. */
public record LineRejection(long line, String reason, List<FieldError> errors) {

    public LineRejection {
        errors = List.copyOf(errors);
    }
}
