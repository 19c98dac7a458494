package io.claimshub.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Maps an event to the flat field/value pairs of a Redis stream entry and back. Every value is a string;
 * {@code data} holds the JSON text of the event's data object.
 */
public final class StreamEntryCodec {

    public static final String EVENT_ID = "eventId";
    public static final String EVENT_TYPE = "eventType";
    public static final String CLAIM_ID = "claimId";
    public static final String TIMESTAMP = "timestamp";
    public static final String VERSION = "version";
    public static final String DATA = "data";
    public static final String CLAIM_VERSION = "claimVersion";
    /** Who caused the event (left out when unknown). */
    public static final String ACTOR = "actor";

    private StreamEntryCodec() {
    }

    /** The entry's fields in a stable order, so entries read well in {@code XRANGE} output. */
    public static Map<String, String> encode(StoredEvent stored) {
        EventEnvelope event = stored.event();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(EVENT_ID, event.eventId().toString());
        fields.put(EVENT_TYPE, event.eventType());
        fields.put(CLAIM_ID, event.claimId());
        fields.put(TIMESTAMP, event.timestamp().toString());
        fields.put(VERSION, event.version());
        fields.put(DATA, EventJson.write(event.data()));
        fields.put(CLAIM_VERSION, Long.toString(stored.claimVersion()));
        if (event.actor() != null) {
            fields.put(ACTOR, event.actor());
        }
        return fields;
    }

    public static Map<String, String> encode(EventEnvelope event, long claimVersion) {
        return encode(new StoredEvent(event, claimVersion));
    }

    /**
     * Reads a stream entry back.
     *
     * @throws InvalidEventException naming the first field that is missing or unreadable
     */
    public static StoredEvent decode(Map<String, String> fields) {
        UUID eventId = parse(fields, EVENT_ID, UUID::fromString);
        String eventType = required(fields, EVENT_TYPE);
        String claimId = required(fields, CLAIM_ID);
        Instant timestamp = parse(fields, TIMESTAMP, Instant::parse);
        String version = required(fields, VERSION);
        JsonNode data = EventJson.parse(required(fields, DATA), DATA);
        if (!(data instanceof ObjectNode dataObject)) {
            throw new InvalidEventException(DATA, "must be a JSON object, was " + data.getNodeType());
        }
        long claimVersion = parse(fields, CLAIM_VERSION, Long::parseLong);
        String actor = fields.get(ACTOR);
        EventEnvelope event = new EventEnvelope(eventId, eventType, claimId, timestamp, dataObject, version,
                actor == null || actor.isBlank() ? null : actor);
        return new StoredEvent(event, claimVersion);
    }

    private static String required(Map<String, String> fields, String field) {
        String value = fields.get(field);
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(field, "is missing from the stream entry");
        }
        return value;
    }

    private static <T> T parse(Map<String, String> fields, String field, Function<String, T> parser) {
        String value = required(fields, field);
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidEventException(field, "cannot read '" + value + "': " + e.getMessage(), e);
        }
    }
}
