package io.claimshub.api;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.event.InvalidEventException;
import io.claimshub.ops.ReplayedEntries;

/** The parts of an operations request every operations endpoint checks alike: the operator, the body, a reason. */
final class OpsRequests {

    static final String OPERATOR = "X-Operator";
    static final int MAX_OPERATOR_LENGTH = 100;
    static final int MAX_REASON_LENGTH = 500;

    private OpsRequests() {
    }

    static void checkGroup(String group, List<FieldError> errors) {
        if (group == null || !ReplayedEntries.GROUP_NAME.matcher(group).matches()) {
            errors.add(new FieldError("group", "is required: a consumer group's name (letters, digits, '.', '_', '-')"));
        }
    }

    /** A write's operator (checked into {@code errors}) and its body, parsed. */
    static Parsed write(String operator, String contentType, byte[] body, boolean bodyRequired, List<FieldError> errors) {
        checkOperator(operator, errors);
        return parse(contentType, body, bodyRequired, errors);
    }

    /** The body's {@code group}, checked into {@code errors}. */
    static String group(JsonNode json, List<FieldError> errors) {
        String group = json == null || !json.path("group").isTextual() ? null : json.get("group").asText();
        checkGroup(group, errors);
        return group;
    }

    static void checkOperator(String operator, List<FieldError> errors) {
        if (operator == null || operator.isBlank() || operator.length() > MAX_OPERATOR_LENGTH
                || !operator.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            errors.add(new FieldError(OPERATOR, "is required on writes: who does it (1 to " + MAX_OPERATOR_LENGTH
                    + " visible ASCII characters)"));
        }
    }

    static String optionalText(JsonNode json, String field, List<FieldError> errors) {
        JsonNode value = json == null ? null : json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > MAX_REASON_LENGTH) {
            errors.add(new FieldError(field, "must be text of 1 to " + MAX_REASON_LENGTH + " characters"));
            return null;
        }
        return value.asText();
    }

    /** The request body as a JSON object; none at all is allowed unless {@code required}. */
    static Parsed parse(String contentType, byte[] body, boolean required, List<FieldError> errors) {
        if (body == null || body.length == 0) {
            if (required) {
                errors.add(new FieldError("body", "is required: a JSON object"));
            }
            return new Parsed(null, null);
        }
        if (!ClaimsApi.isJson(contentType)) {
            return new Parsed(null, Problems.unsupportedMediaType(contentType));
        }
        JsonNode json;
        try {
            json = EventJson.parseRequest(body, ClaimsApi.charset(contentType));
        } catch (InvalidEventException e) {
            return new Parsed(null, ClaimsApi.unreadable(e));
        } catch (RuntimeException e) {
            return new Parsed(null, Problems.unsupportedMediaType(contentType));
        }
        if (!(json instanceof ObjectNode)) {
            errors.add(new FieldError("body", "must be a JSON object"));
            return new Parsed(null, null);
        }
        return new Parsed(json, null);
    }

    static String summary(List<FieldError> errors) {
        return errors.size() == 1 ? errors.get(0).toString() : errors.size() + " invalid fields: "
                + String.join(", ", errors.stream().map(FieldError::field).toList());
    }

    /** The body as a JSON object (null when none was sent), or the refusal to answer instead. */
    record Parsed(JsonNode json, ApiResponse refusal) {
    }
}
