package io.claimshub.event;

/**
 * An event (or stream entry) that cannot be read as a claim event; {@link #field()} names the offending field.
 */
public class InvalidEventException extends RuntimeException {

    private final String field;

    public InvalidEventException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public InvalidEventException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
