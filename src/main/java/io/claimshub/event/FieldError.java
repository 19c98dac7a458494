package io.claimshub.event;

/**
 * One validation problem: {@code field} is a dotted path from the event root, e.g. {@code data.claimant.email}.
 */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
