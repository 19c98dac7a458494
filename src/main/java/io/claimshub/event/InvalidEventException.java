package io.claimshub.event;

/**
 * An event (or stream entry) that cannot be read as a claim event; {@link #field()} names the offending field.
 */
public class InvalidEventException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidEventException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    public InvalidEventException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
        this.reason = message;
    }

    /** What is wrong with the field, without its name. */
    public String reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
