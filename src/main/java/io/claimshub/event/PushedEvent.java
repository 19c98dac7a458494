package io.claimshub.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * A pushed event's parts, read from a request that {@link EventValidator#validatePushedEvent} or
 * {@link EventValidator#validateEventLine} found valid; a null {@code eventId}, {@code expectedVersion} or
 * {@code claimId} was left out.
 */
public record PushedEvent(String claimId, String eventType, ObjectNode data, UUID eventId, Long expectedVersion) {

    public static PushedEvent of(JsonNode valid) {
        JsonNode claimId = valid.path("claimId");
        JsonNode eventId = valid.path("eventId");
        JsonNode expectedVersion = valid.path("expectedVersion");
        return new PushedEvent(claimId.isTextual() ? claimId.textValue() : null, valid.path("eventType").textValue(),
                (ObjectNode) valid.get("data"), eventId.isTextual() ? UUID.fromString(eventId.textValue()) : null,
                expectedVersion.isNumber() ? expectedVersion.longValue() : null);
    }
}
