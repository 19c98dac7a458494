package io.claimshub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.EventValidator;
import io.claimshub.event.FieldError;
import io.claimshub.event.PushedEvent;
import java.util.List;

/**
 * Reads one line of a JSON Lines ingest file. A line is either the {@code claim.submitted} data object itself (the
 * body of {@code POST /api/claims}), or {@code {"eventType":..., "data":{...}}} with, for any type but
 * {@code claim.submitted}, a {@code claimId} and optionally {@code eventId} and {@code expectedVersion}.
 */
public final class JsonLinesFormat {

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
        // the same shape as the body of POST /api/claims/{claimId}/events, plus the claimId
        List<FieldError> errors = EventValidator.validateEventLine(line);
        if (!errors.isEmpty()) {
            return new IngestLine.Unreadable("invalid event line", errors);
        }
        PushedEvent event = PushedEvent.of(line);
        if (EventType.CLAIM_SUBMITTED.wireName().equals(event.eventType())) {
            return new IngestLine.Submission(event.data(), event.eventId());
        }
        return new IngestLine.Push(event.claimId(), event.eventType(), event.data(), event.eventId(),
                event.expectedVersion());
    }

    private static IngestLine unreadable(String reason, String field, String message) {
        return new IngestLine.Unreadable(reason, List.of(new FieldError(field, message)));
    }
}
