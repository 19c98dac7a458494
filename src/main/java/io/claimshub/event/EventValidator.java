package io.claimshub.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks events against the JSON Schemas in {@code classpath:schema/}, and what a schema cannot say: that the data
 * can be stored and read back ({@link #MAX_DATA_DEPTH}, {@link #MAX_NUMBER_CHARS}, no lone UTF-16 surrogates),
 * amounts within the maximum and the currency's minor unit, and incident dates in a sane range. Schemas are loaded
 * and compiled once, when the validator is created; one instance is thread-safe and meant to be shared. The shape of
 * a request carrying an event ({@code pushed-event.schema.json}) depends on no setting and is checked statically.
 */
public final class EventValidator {

    /** {@code hub.events.max-amount} when none is given. */
    public static final BigDecimal DEFAULT_MAX_AMOUNT = new BigDecimal("1000000000000");
    /** Deepest nesting of an event's data; well inside {@link EventJson#MAX_READ_DEPTH}, with room for envelopes. */
    public static final int MAX_DATA_DEPTH = 32;
    /** Longest number in an event's data as it is stored: written out in full, without an exponent. */
    public static final int MAX_NUMBER_CHARS = 100;
    /** The earliest incident date accepted; the latest is tomorrow (UTC), for clients ahead of UTC. */
    public static final LocalDate EARLIEST_INCIDENT_DATE = LocalDate.of(1900, 1, 1);

    private static final String ENVELOPE_SCHEMA = "schema/envelope.schema.json";
    private static final String PUSHED_EVENT_SCHEMA = "schema/pushed-event.schema.json";
    private static final String EVENT_LINE_SCHEMA = PUSHED_EVENT_SCHEMA + "#/$defs/eventLine";
    // the schemas' pattern for a string that must not be blank
    private static final String NOT_BLANK = "\\S";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    // 2020-12 treats "format" as a mere annotation unless assertions are switched on
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    // request shapes depend on no setting: the REST API and JSON Lines ingest share one compiled copy
    private static final JsonSchema PUSHED_EVENT = compile(PUSHED_EVENT_SCHEMA);
    private static final JsonSchema EVENT_LINE = compile(EVENT_LINE_SCHEMA);

    private final JsonSchema envelopeSchema;
    private final Map<EventType, JsonSchema> dataSchemas = new EnumMap<>(EventType.class);
    private final BigDecimal maxAmount;
    private final Clock clock;

    public EventValidator() {
        this(DEFAULT_MAX_AMOUNT);
    }

    /** @param maxAmount the largest amount an event may carry, in any currency ({@code hub.events.max-amount}) */
    public EventValidator(BigDecimal maxAmount) {
        this(maxAmount, Clock.systemUTC());
    }

    public EventValidator(BigDecimal maxAmount, Clock clock) {
        if (maxAmount == null || maxAmount.signum() <= 0) {
            throw new IllegalArgumentException("the maximum amount must be above 0; was " + maxAmount);
        }
        this.maxAmount = maxAmount;
        this.clock = clock;
        envelopeSchema = compile(ENVELOPE_SCHEMA);
        for (EventType type : EventType.values()) {
            dataSchemas.put(type, compile(type.schemaResource()));
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

    /**
     * Validates the shape of a pushed event, the body of {@code POST /api/claims/{claimId}/events}:
     * {@code eventType} and {@code data} required, {@code eventId} a UUID, {@code expectedVersion} a whole number
     * from 0, nothing else. The data itself is checked once the claim is known, by {@link #validateData}.
     */
    public static List<FieldError> validatePushedEvent(JsonNode request) {
        return toShapeErrors(PUSHED_EVENT, request, "a pushed event");
    }

    /**
     * Validates the shape of an event line of a JSON Lines ingest file: a pushed event with its {@code claimId};
     * a {@code claim.submitted} line names neither a claim nor an expected version.
     */
    public static List<FieldError> validateEventLine(JsonNode line) {
        return toShapeErrors(EVENT_LINE, line, "an event line");
    }

    /** Validates the {@code data} object of one event type; paths in the errors start with {@code data}. */
    public List<FieldError> validateData(EventType type, JsonNode data) {
        List<FieldError> errors = new ArrayList<>();
        // first, as the schema validator itself is no place for numbers of 10,000 digits
        checkStorable(data, "data", 1, errors);
        if (!errors.isEmpty()) {
            return errors;
        }
        errors.addAll(toFieldErrors(dataSchemas.get(type).validate(data), "data"));
        for (RecordComponent component : type.dataType().getRecordComponents()) {
            if (component.getType() == Money.class) {
                checkAmount(data.path(component.getName()), "data." + component.getName(), errors);
            }
        }
        if (type == EventType.CLAIM_SUBMITTED) {
            checkIncidentDate(data.path("incidentDate"), errors);
        }
        return errors;
    }

    /** Depth, numbers and text that the store can hold and the read path read back unchanged. */
    private static void checkStorable(JsonNode node, String path, int depth, List<FieldError> errors) {
        if (node.isContainerNode() && depth > MAX_DATA_DEPTH) {
            errors.add(new FieldError(path, "nests deeper than " + MAX_DATA_DEPTH + " levels"));
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                if (hasLoneSurrogate(name)) {
                    errors.add(new FieldError(path, "has a field name with a lone UTF-16 surrogate, which is not a"
                            + " character (" + escapeSurrogates(name) + ")"));
                } else {
                    checkStorable(field.getValue(), path + "." + name, depth + 1, errors);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkStorable(node.get(i), path + "[" + i + "]", depth + 1, errors);
            }
        } else if (node.isNumber() && plainLength(node.decimalValue()) > MAX_NUMBER_CHARS) {
            errors.add(new FieldError(path, "is a number of more than " + MAX_NUMBER_CHARS
                    + " digits when written out"));
        } else if (node.isTextual() && hasLoneSurrogate(node.textValue())) {
            errors.add(new FieldError(path, "has a lone UTF-16 surrogate, which is not a character"));
        }
    }

    /** The length of {@link BigDecimal#toPlainString()}, without building it (1e1000000000 is ten characters). */
    static long plainLength(BigDecimal number) {
        long precision = number.precision();
        long scale = number.scale();
        long digits = scale <= 0 ? precision - scale : scale >= precision ? scale + 2 : precision + 1;
        return digits + (number.signum() < 0 ? 1 : 0);
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String escapeSurrogates(String text) {
        StringBuilder escaped = new StringBuilder();
        text.chars().forEach(c -> escaped.append(Character.isSurrogate((char) c)
                ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return escaped.toString();
    }

    /** An amount the schema let through: at most the maximum, in at most the currency's minor-unit decimals. */
    private void checkAmount(JsonNode money, String path, List<FieldError> errors) {
        JsonNode amount = money.path("amount");
        JsonNode currency = money.path("currency");
        if (!amount.isNumber() || !currency.isTextual() || errors.stream().anyMatch(e -> e.field().startsWith(path))) {
            return;
        }
        BigDecimal value = amount.decimalValue();
        if (value.compareTo(maxAmount) > 0) {
            errors.add(new FieldError(path + ".amount", "must be at most " + maxAmount.toPlainString()));
        }
        Currency known;
        try {
            known = Currency.getInstance(currency.textValue());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(path + ".currency", "is not an ISO 4217 currency code"));
            return;
        }
        int minorDigits = known.getDefaultFractionDigits();
        // -1: no minor unit (gold, SDR); then only the stored number's length limits the decimals
        if (minorDigits >= 0 && value.stripTrailingZeros().scale() > minorDigits) {
            errors.add(new FieldError(path + ".amount", "has more decimals than " + known.getCurrencyCode()
                    + " has minor units (" + minorDigits + ")"));
        }
    }

    private void checkIncidentDate(JsonNode incidentDate, List<FieldError> errors) {
        if (!incidentDate.isTextual()) {
            return;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(incidentDate.textValue());
        } catch (DateTimeParseException e) {
            // the schema's format check has reported it
            return;
        }
        LocalDate tomorrow = LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1);
        if (date.isBefore(EARLIEST_INCIDENT_DATE) || date.isAfter(tomorrow)) {
            errors.add(new FieldError("data.incidentDate", "must be from " + EARLIEST_INCIDENT_DATE
                    + " to tomorrow (" + tomorrow + ")"));
        }
    }

    private static JsonSchema compile(String resource) {
        JsonSchema schema = FACTORY.getSchema(SchemaLocation.of("classpath:" + resource), CONFIG);
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
            } else if ("pattern".equals(message.getType()) && message.getArguments() != null
                    && Arrays.asList(message.getArguments()).contains(NOT_BLANK)) {
                errors.add(new FieldError(field, "must not be blank"));
            } else if ("version".equals(field) && "const".equals(message.getType())) {
                errors.add(new FieldError(field, "unsupported event version " + message.getInstanceNode()
                        + "; this hub reads version " + EventEnvelope.CURRENT_VERSION));
            } else {
                errors.add(new FieldError(field, message.getError()));
            }
        }
        return errors;
    }

    /**
     * A request's shape errors in the words a client reads: a missing field "is required", an unknown one names the
     * fields allowed, a field left out of a {@code claim.submitted} line says why, any other "must be" its
     * schema's description.
     */
    private static List<FieldError> toShapeErrors(JsonSchema schema, JsonNode request, String what) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode fields = schema.getSchemaNode().path("properties");
        JsonNode document = schema.getParentSchema() == null ? schema.getSchemaNode()
                : schema.getParentSchema().getSchemaNode();
        for (ValidationMessage message : schema.validate(request)) {
            String field = dotted("", message.getInstanceLocation());
            switch (message.getType()) {
                case "required" -> errors.add(new FieldError(join(field, message.getProperty()), "is required"));
                case "additionalProperties" -> errors.add(new FieldError(join(field, message.getProperty()),
                        "is not a field of " + what + "; allowed: " + String.join(", ", sortedNames(fields))));
                case "false" -> errors.add(new FieldError(field, "a claim.submitted line opens a new claim: the hub"
                        + " gives it its id and first version; leave it out"));
                default -> {
                    // the failed keyword's schema, e.g. #/$defs/event/properties/eventId/format -> .../eventId
                    String keyword = message.getSchemaLocation().getFragment().toString();
                    String description = document.at(keyword.substring(0, keyword.lastIndexOf('/')))
                            .path("description").asText("");
                    errors.add(new FieldError(field, description.isEmpty() ? message.getError()
                            : "must be " + description));
                }
            }
        }
        // one error per field: an expectedVersion of -1.5 breaks more than one keyword
        return errors.stream().distinct().toList();
    }

    private static List<String> sortedNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
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
