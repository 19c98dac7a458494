package io.claimshub.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One claim event as it travels through the hub. {@code data} is kept as the raw JSON object, so fields this
 * hub does not know about survive the round trip; {@link #payload()} gives the typed view.
 */
public record EventEnvelope(
        UUID eventId,
        String eventType,
        String claimId,
        Instant timestamp,
        ObjectNode data,
        String version) {

    public static final String CURRENT_VERSION = "1.0";

    public EventEnvelope {
        require(eventId, "eventId");
        require(eventType, "eventType");
        EventType.fromWire(eventType);
        require(claimId, "claimId");
        ClaimIds.requireValid(claimId);
        require(timestamp, "timestamp");
        require(data, "data");
        require(version, "version");
        if (!CURRENT_VERSION.equals(version)) {
            throw new InvalidEventException("version",
                    "unsupported event version '" + version + "'; this hub reads version " + CURRENT_VERSION);
        }
    }

    /** A new event with a fresh id, for the given claim. */
    public static EventEnvelope of(String claimId, Instant timestamp, ClaimEventData data) {
        return new EventEnvelope(UUID.randomUUID(), data.eventType().wireName(), claimId, timestamp,
                EventJson.toObjectNode(data), CURRENT_VERSION);
    }

    public EventType type() {
        return EventType.fromWire(eventType);
    }

    /** The typed data for this event's type; fields unknown to the record are ignored (they stay in {@link #data()}). */
    public ClaimEventData payload() {
        return EventJson.bind(data, type().dataType(), "data");
    }

    public <T extends ClaimEventData> T payload(Class<T> dataType) {
        if (type().dataType() != dataType) {
            throw new IllegalArgumentException(eventType + " data is not " + dataType.getSimpleName());
        }
        return EventJson.bind(data, dataType, "data");
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new InvalidEventException(field, "is required");
        }
    }
}
