package io.claimshub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads one line of a JSON Lines ingest file. A line is either the {@code claim.submitted} data object itself (the
 * body of {@code POST /api/claims}), or {@code {"eventType":..., "data":{...}}} with, for any type but
 * {@code claim.submitted}, a {@code claimId} and optionally {@code eventId} and {@code expectedVersion}.
 */
public final class JsonLinesFormat {

    private static final Set<String> EVENT_LINE_FIELDS = Set.of("eventType", "claimId", "data", "eventId", "expectedVersion");

    private JsonLinesFormat() {
    }

    public static IngestLine parse(String line) {
        String text = line.startsWith("\uFEFF") ? line.substring(1) : line;
        if (text.isBlank()) {
            return new IngestLine.Blank();
        }
        JsonNode node;
        try {
            node = EventJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return unreadable("not valid JSON", "line", e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            return unreadable("not a JSON object", "line", "must be a JSON object, one per line");
        }
        if (!object.has("eventType")) {
            return new IngestLine.Submission(object, null);
        }
        return eventLine(object);
    }

    private static IngestLine eventLine(ObjectNode line) {
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> names = line.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!EVENT_LINE_FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a field of an event line; allowed: " + String.join(", ",
                        new java.util.TreeSet<>(EVENT_LINE_FIELDS))));
            }
        }
        JsonNode eventType = line.get("eventType");
        if (!eventType.isTextual()) {
            errors.add(new FieldError("eventType", "must be a string"));
        }
        JsonNode data = line.get("data");
        if (!(data instanceof ObjectNode)) {
            errors.add(new FieldError("data", data == null ? "is required" : "must be a JSON object"));
        }
        UUID eventId = null;
        JsonNode rawEventId = line.get("eventId");
        if (rawEventId != null && !rawEventId.isNull()) {
            try {
                eventId = UUID.fromString(rawEventId.asText());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("eventId", "'" + rawEventId.asText() + "' is not a UUID"));
            }
        }
        boolean submitted = eventType.isTextual() && EventType.CLAIM_SUBMITTED.wireName().equals(eventType.asText());
        JsonNode claimId = line.get("claimId");
        JsonNode expectedVersion = line.get("expectedVersion");
        if (submitted) {
            if (claimId != null) {
                errors.add(new FieldError("claimId", "a claim.submitted line opens a new claim; the hub gives it its id"));
            }
            if (expectedVersion != null) {
                errors.add(new FieldError("expectedVersion", "a claim.submitted line opens a new claim; leave it out"));
            }
        } else {
            if (claimId == null || !claimId.isTextual()) {
                errors.add(new FieldError("claimId", claimId == null ? "is required" : "must be a string"));
            }
            if (expectedVersion != null && !expectedVersion.isNull()
                    && !(expectedVersion.canConvertToLong() && expectedVersion.isIntegralNumber() && expectedVersion.asLong() >= 0)) {
                errors.add(new FieldError("expectedVersion", "must be a whole number, 0 or more"));
            }
        }
        if (!errors.isEmpty()) {
            return new IngestLine.Unreadable("invalid event line", errors);
        }
        if (submitted) {
            return new IngestLine.Submission((ObjectNode) data, eventId);
        }
        Long version = expectedVersion == null || expectedVersion.isNull() ? null : expectedVersion.asLong();
        return new IngestLine.Push(claimId.asText(), eventType.asText(), (ObjectNode) data, eventId, version);
    }

    private static IngestLine unreadable(String reason, String field, String message) {
        return new IngestLine.Unreadable(reason, List.of(new FieldError(field, message)));
    }
}
