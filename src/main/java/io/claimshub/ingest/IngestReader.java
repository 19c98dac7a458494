package io.claimshub.ingest;

import java.io.Closeable;
import io.claimshub.event.FieldError;
import java.io.IOException;
import java.util.List;

/** Reads an ingest file one line (or CSV row) at a time from its {@link FileLines}: at most one line is held in memory. */
public interface IngestReader extends Closeable {

    /** The next non-blank line, or {@code null} at the end of the file (or before an end held back). */
    NumberedLine next() throws IOException;

    /** Whether the file's end was left unread because it may be a line still being written. */
    boolean endHeldBack();

    /** The store's errors about a line's data, named as the file's writer knows them. */
    default List<FieldError> describe(List<FieldError> storeErrors) {
        return storeErrors;
    }
}
