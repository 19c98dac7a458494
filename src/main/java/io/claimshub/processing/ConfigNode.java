package io.claimshub.processing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One object of a YAML configuration file, read as a tree rather than bound to classes so that every
 * error can say which file, which entry and which field is wrong.
 */
final class ConfigNode {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            // amounts keep the digits the operator wrote: 10000.00 stays 10000.00
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private final Path file;
    private final String where;
    private final JsonNode node;

    private ConfigNode(Path file, String where, JsonNode node) {
        this.file = file;
        this.where = where;
        this.node = node;
    }

    static ConfigNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigurationException(file, "no such file");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new InvalidConfigurationException(file, "is not valid YAML: " + e.getOriginalMessage() + line, e);
        } catch (IOException e) {
            throw new InvalidConfigurationException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigurationException(file, "must contain a YAML mapping at the top level");
        }
        return new ConfigNode(file, "", root);
    }

    Path file() {
        return file;
    }

    /** The same object, with errors prefixed by a domain name for it, e.g. "adjuster ADJ-03". */
    ConfigNode describedAs(String description) {
        return new ConfigNode(file, description, node);
    }

    InvalidConfigurationException problem(String message) {
        return new InvalidConfigurationException(file, (where.isEmpty() ? "" : where + ": ") + message);
    }

    /** Rejects misspelt fields, which would otherwise silently fall back to a default. */
    void allowOnly(String... fields) {
        Set<String> allowed = new LinkedHashSet<>(Arrays.asList(fields));
        for (String name : fieldNames()) {
            if (!allowed.contains(name)) {
                throw problem("unknown field '" + name + "' (expected one of: " + String.join(", ", allowed) + ")");
            }
        }
    }

    List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    String text(String field) {
        JsonNode value = required(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw problem("field '" + field + "' must be non-blank text, was " + value);
        }
        return value.asText().trim();
    }

    BigDecimal amount(String field) {
        JsonNode value = required(field);
        if (value.isNumber()) {
            return value.decimalValue();
        }
        try {
            return new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            throw problem("field '" + field + "' must be a number, was " + value);
        }
    }

    int integer(String field) {
        JsonNode value = required(field);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw problem("field '" + field + "' must be a whole number, was " + value);
        }
        return value.intValue();
    }

    Duration duration(String field) {
        JsonNode value = required(field);
        try {
            return Duration.parse(value.asText().trim());
        } catch (DateTimeParseException e) {
            throw problem("field '" + field + "' must be an ISO-8601 duration such as PT72H or P365D, was " + value);
        }
    }

    Set<String> texts(String field) {
        JsonNode value = required(field);
        if (!value.isArray()) {
            throw problem("field '" + field + "' must be a list, was " + value);
        }
        Set<String> texts = new TreeSet<>();
        for (JsonNode element : value) {
            if (!element.isTextual() || element.asText().isBlank()) {
                throw problem("field '" + field + "' must list non-blank text values, found " + element);
            }
            texts.add(element.asText().trim());
        }
        return texts;
    }

    <E extends Enum<E>> E choice(String field, Class<E> type) {
        String text = text(field);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        throw problem("field '" + field + "' must be one of " + Arrays.toString(type.getEnumConstants())
                + ", was '" + text + "'");
    }

    ConfigNode object(String field) {
        JsonNode value = required(field);
        if (!value.isObject()) {
            throw problem("field '" + field + "' must be a mapping, was " + value);
        }
        return new ConfigNode(file, where.isEmpty() ? field : where + "." + field, value);
    }

    /** The entries of a list of mappings; each entry is described as "#n" until the caller names it. */
    List<ConfigNode> objects(String field) {
        JsonNode value = required(field);
        if (!value.isArray()) {
            throw problem("field '" + field + "' must be a list, was " + value);
        }
        List<ConfigNode> entries = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String description = field + " entry #" + (i + 1);
            if (!element.isObject()) {
                throw problem(description + " must be a mapping, was " + element);
            }
            entries.add(new ConfigNode(file, description, element));
        }
        return entries;
    }

    private JsonNode required(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw problem("missing field '" + field + "'");
        }
        return value;
    }
}
