package io.claimshub.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.stream.Collectors;

/**
 * The hub's one configured Jackson {@link ObjectMapper}: ISO-8601 dates, {@link java.math.BigDecimal} for
 * every decimal (money must not pass through binary floating point), written plain and with trailing zeros
 * kept ({@code 100.00} stays {@code 100.00}).
 */
public final class EventJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private EventJson() {
    }

    /** The shared mapper; it is thread-safe, so do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses JSON text; {@code field} names what is being parsed in the error. */
    public static JsonNode parse(String json, String field) {
        if (json == null) {
            throw new InvalidEventException(field, "is missing");
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(field, "is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static ObjectNode toObjectNode(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Binds a JSON object to a record, naming the offending field (below {@code prefix}) on failure. */
    public static <T> T bind(JsonNode node, Class<T> type, String prefix) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (ValueInstantiationException e) {
            // the record's own guard already names its field
            if (e.getCause() instanceof InvalidEventException invalid) {
                throw invalid;
            }
            throw new InvalidEventException(path(prefix, e), e.getOriginalMessage(), e);
        } catch (JsonMappingException e) {
            throw new InvalidEventException(path(prefix, e), e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(prefix.isEmpty() ? "event" : prefix, e.getOriginalMessage(), e);
        }
    }

    /** Reads a whole event; use {@link EventValidator#validateEnvelope} first for a full list of errors. */
    public static EventEnvelope readEnvelope(String json) {
        return readEnvelope(parse(json, "event"));
    }

    public static EventEnvelope readEnvelope(JsonNode event) {
        return bind(event, EventEnvelope.class, "");
    }

    private static String path(String prefix, JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        if (prefix.isEmpty()) {
            return path.isEmpty() ? "event" : path;
        }
        return path.isEmpty() ? prefix : prefix + "." + path;
    }
}
