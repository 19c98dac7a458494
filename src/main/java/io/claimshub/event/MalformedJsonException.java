package io.claimshub.event;

/** A document that is not JSON at all (a syntax error, an empty body); {@link #field()} is where reading stopped. */
public class MalformedJsonException extends InvalidEventException {

    public MalformedJsonException(String field, String message) {
        super(field, message);
    }

    public MalformedJsonException(String field, String message, Throwable cause) {
        super(field, message, cause);
    }
}
