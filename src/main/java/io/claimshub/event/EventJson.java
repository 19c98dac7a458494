package io.claimshub.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Collectors;

/**
 * The hub's one configured Jackson {@link ObjectMapper}: ISO-8601 dates, {@link java.math.BigDecimal} for
 * every decimal (money must not pass through binary floating point), written plain and with trailing zeros
 * kept ({@code 100.00} stays {@code 100.00}). It refuses duplicate keys and documents beyond its read limits,
 * everywhere: the edge ({@link #parseRequest}, file lines) and the read path (stored events) alike.
 */
public final class EventJson {

    /** Deepest nesting the hub reads; {@link EventValidator} keeps event data well inside it. */
    public static final int MAX_READ_DEPTH = 100;
    /** Longest number literal the hub reads (Jackson's own default). */
    public static final int MAX_READ_NUMBER_LENGTH = 1000;
    /** Longest string the hub reads; request bodies and file lines are far smaller. */
    public static final int MAX_READ_STRING_LENGTH = 20_000_000;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_READ_DEPTH)
                            .maxNumberLength(MAX_READ_NUMBER_LENGTH)
                            .maxStringLength(MAX_READ_STRING_LENGTH)
                            .build())
                    .build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            // the last of two equal keys would win silently: {"amount":-5,"amount":1500}
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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

    /**
     * Reads a request body: bytes in the declared charset, UTF-8 when none is declared, one JSON document and
     * nothing after it. Bytes that are not that charset, duplicate keys and documents beyond the read limits are
     * refused with an {@link InvalidEventException} naming the field where the problem is; anything else that is
     * not JSON with a {@link MalformedJsonException}.
     */
    public static JsonNode parseRequest(byte[] body, Charset charsetOrNull) {
        Charset charset = charsetOrNull == null ? StandardCharsets.UTF_8 : charsetOrNull;
        String text = decode(body == null ? new byte[0] : body, charset);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new MalformedJsonException("body", "is empty");
        }
        try (JsonParser parser = MAPPER.createParser(text)) {
            try {
                JsonNode node = MAPPER.readTree(parser);
                if (parser.nextToken() != null) {
                    throw new MalformedJsonException("body", "has more after the JSON document");
                }
                return node;
            } catch (StreamConstraintsException e) {
                throw new InvalidEventException(path(parser.getParsingContext()), beyondLimit(e), e);
            } catch (JsonProcessingException e) {
                String field = path(parser.getParsingContext());
                if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
                    throw new InvalidEventException(field, "appears more than once in the same object", e);
                }
                throw new MalformedJsonException(field, e.getOriginalMessage(), e);
            }
        } catch (IOException e) {
            throw new MalformedJsonException("body", "cannot be read: " + e.getMessage(), e);
        }
    }

    private static String decode(byte[] body, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate((int) (body.length * (double) decoder.maxCharsPerByte()) + 1);
        if (!decoder.decode(in, out, true).isError() && !decoder.flush(out).isError()) {
            return out.flip().toString();
        }
        // the decoder stopped at the first bad byte: the field is wherever the valid text before it ends
        String before = out.flip().toString();
        throw new InvalidEventException(fieldAtEndOf(before), "is not valid " + charset.name()
                + (charset.equals(StandardCharsets.UTF_8) ? " (declare another charset in Content-Type if the body"
                + " is not UTF-8)" : "") + "; byte " + in.position() + " cannot be read");
    }

    /** Where a parser that has read all of {@code prefix} stands: the field whose value was being read. */
    private static String fieldAtEndOf(String prefix) {
        try (JsonParser parser = MAPPER.createParser(prefix)) {
            try {
                while (parser.nextToken() != null) {
                    // read on to where the text ends
                }
            } catch (JsonProcessingException e) {
                // the text ends in the middle of a token; the context still says where
            }
            return path(parser.getParsingContext());
        } catch (IOException e) {
            return "body";
        }
    }

    /** A parser's position as a dotted field path ({@code claimant.email}, {@code items[2].name}). */
    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inObject() && at.getCurrentName() != null) {
                parts.addFirst("." + at.getCurrentName());
            } else if (at.inArray()) {
                parts.addFirst("[" + Math.max(0, at.getCurrentIndex()) + "]");
            }
        }
        String path = String.join("", parts);
        return path.isEmpty() ? "body" : path.startsWith(".") ? path.substring(1) : path;
    }

    private static String beyondLimit(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return "nests deeper than " + MAX_READ_DEPTH + " levels";
        }
        if (message.contains("Number value length")) {
            return "is a number of more than " + MAX_READ_NUMBER_LENGTH + " characters";
        }
        if (message.contains("String value length")) {
            return "is a string of more than " + MAX_READ_STRING_LENGTH + " characters";
        }
        return "is beyond what the hub reads";
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Compact JSON with every object's keys in sorted order: equal documents give equal text. */
    public static String writeCanonical(JsonNode value) {
        try {
            return MAPPER.writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the document as JSON", e);
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
