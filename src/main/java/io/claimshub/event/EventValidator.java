package io.claimshub.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Checks events against the JSON Schemas in {@code classpath:schema/}. Schemas are loaded and compiled once,
 * when the validator is created; one instance is thread-safe and meant to be shared.
 */
public final class EventValidator {

    private static final String ENVELOPE_SCHEMA = "schema/envelope.schema.json";

    private final JsonSchema envelopeSchema;
    private final Map<EventType, JsonSchema> dataSchemas = new EnumMap<>(EventType.class);

    public EventValidator() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        // 2020-12 treats "format" as a mere annotation unless assertions are switched on
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        envelopeSchema = compile(factory, ENVELOPE_SCHEMA, config);
        for (EventType type : EventType.values()) {
            dataSchemas.put(type, compile(factory, type.schemaResource(), config));
        }
    }

    /**
     * Validates a whole event: the envelope and, when its type is known, its {@code data} against that type's
     * schema. An empty list means the event is valid.
     */
    public List<FieldError> validateEnvelope(JsonNode event) {
        List<FieldError> errors = toFieldErrors(envelopeSchema.validate(event), "");
        JsonNode eventType = event.path("eventType");
        JsonNode data = event.path("data");
        if (eventType.isTextual() && EventType.isKnown(eventType.asText()) && data.isObject()) {
            errors.addAll(validateData(EventType.fromWire(eventType.asText()), data));
        }
        return errors;
    }

    /** Validates the {@code data} object of one event type; paths in the errors start with {@code data}. */
    public List<FieldError> validateData(EventType type, JsonNode data) {
        return toFieldErrors(dataSchemas.get(type).validate(data), "data");
    }

    private static JsonSchema compile(JsonSchemaFactory factory, String resource, SchemaValidatorsConfig config) {
        JsonSchema schema = factory.getSchema(SchemaLocation.of("classpath:" + resource), config);
        // compile every keyword now rather than on the first event
        schema.initializeValidators();
        return schema;
    }

    private static List<FieldError> toFieldErrors(Iterable<ValidationMessage> messages, String root) {
        List<FieldError> errors = new ArrayList<>();
        for (ValidationMessage message : messages) {
            String field = dotted(root, message.getInstanceLocation());
            if ("required".equals(message.getType())) {
                // a missing property is reported on its parent object; name the property itself
                errors.add(new FieldError(join(field, message.getProperty()), "is required"));
            } else if ("additionalProperties".equals(message.getType())) {
                errors.add(new FieldError(join(field, message.getProperty()), "is not a field of a version "
                        + EventEnvelope.CURRENT_VERSION + " envelope"));
            } else if ("version".equals(field) && "const".equals(message.getType())) {
                errors.add(new FieldError(field, "unsupported event version " + message.getInstanceNode()
                        + "; this hub reads version " + EventEnvelope.CURRENT_VERSION));
            } else {
                errors.add(new FieldError(field, message.getError()));
            }
        }
        return errors;
    }

    private static String dotted(String root, JsonNodePath location) {
        StringBuilder path = new StringBuilder(root);
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(element);
            }
        }
        return path.toString();
    }

    private static String join(String parent, String property) {
        return parent.isEmpty() ? property : parent + "." + property;
    }
}
