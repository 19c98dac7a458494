package io.claimshub.notification;

/**
 * A send that did not go out. {@link Permanent} (the partner refused this very message: a bad address, a 4xx) goes
 * to the channel's dead letters at once; any other is retried with back-off, and counts for the circuit breaker.
 */
public class SendFailedException extends RuntimeException {

    public SendFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Refused for good: retrying the same message cannot succeed. */
    public static final class Permanent extends SendFailedException {
        public Permanent(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
