package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One claim event as it travels through the hub. {@code data} is kept as the raw JSON object, so fields this
 * hub does not know about survive the round trip; {@link #payload()} gives the typed view. {@code actor} is who caused
 * the event, set by the hub, never taken from a request's body: {@code key:<name>} or {@code oidc:<sub>} for an API
 * caller, {@code file:<file name>} for the file inbox, {@code system:<part>} for the hub's own events (null on events
 * written before the hub recorded it). See docs/security.md.
 */
public record EventEnvelope(
        UUID eventId,
        String eventType,
        String claimId,
        Instant timestamp,
        ObjectNode data,
        String version,
        @JsonInclude(JsonInclude.Include.NON_NULL) String actor) {

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

    /** An event with no actor recorded. */
    public EventEnvelope(UUID eventId, String eventType, String claimId, Instant timestamp, ObjectNode data,
                         String version) {
        this(eventId, eventType, claimId, timestamp, data, version, null);
    }

    /** This event caused by {@code actor}. */
    public EventEnvelope withActor(String actor) {
        return new EventEnvelope(eventId, eventType, claimId, timestamp, data, version, actor);
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
