package io.claimshub.notification;

import io.claimshub.processing.InvalidConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A node of an operator-edited YAML file that knows its line, so every error names the file and the line to fix
 * ({@code config/notifications.yaml line 12: ...}). Read with SnakeYAML's node composer, not bound to classes.
 */
final class YamlTree {

    private final Path file;
    private final Node node;

    private YamlTree(Path file, Node node) {
        this.file = file;
        this.node = node;
    }

    static YamlTree read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigurationException(file, "no such file");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(1024 * 1024);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Node root = new Yaml(options).compose(reader);
            if (!(root instanceof MappingNode)) {
                throw new InvalidConfigurationException(file, "line 1: must contain a YAML mapping at the top level");
            }
            return new YamlTree(file, root);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new InvalidConfigurationException(file, "line " + line + ": is not valid YAML: " + e.getProblem(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidConfigurationException invalid) {
                throw invalid;
            }
            throw new InvalidConfigurationException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    int line() {
        return node.getStartMark().getLine() + 1;
    }

    InvalidConfigurationException problem(String message) {
        return new InvalidConfigurationException(file, "line " + line() + ": " + message);
    }

    private Map<String, YamlTree> fields() {
        Map<String, YamlTree> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw new YamlTree(file, tuple.getKeyNode()).problem("keys must be plain names");
            }
            fields.put(key.getValue(), new YamlTree(file, tuple.getValueNode()));
        }
        return fields;
    }

    /** Rejects misspelt fields, which would otherwise silently mean "not given". */
    void allowOnly(String... names) {
        Set<String> allowed = new LinkedHashSet<>(Arrays.asList(names));
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            String name = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (!allowed.contains(name)) {
                throw new YamlTree(file, tuple.getKeyNode()).problem("unknown field '" + name + "' (expected one of: "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    boolean has(String field) {
        YamlTree value = fields().get(field);
        return value != null && !value.isNull();
    }

    private boolean isNull(){
        return node instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
    }

    YamlTree get(String field) {
        YamlTree value = fields().get(field);
        if (value == null || value.isNull()) {
            throw problem("missing field '" + field + "'");
        }
        return value;
    }

    /** The node as non-blank text. */
    String text() {
        if (!(node instanceof ScalarNode scalar) || isNull() || scalar.getValue().isBlank()) {
            throw problem("expected non-blank text");
        }
        return scalar.getValue().strip();
    }

    String text(String field) {
        YamlTree value = get(field);
        if (!(value.node instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            throw value.problem("field '" + field + "' must be non-blank text");
        }
        return scalar.getValue().strip();
    }

    /** A field given as one value or a list of values. */
    List<YamlTree> oneOrMore(String field) {
        YamlTree value = get(field);
        if (value.node instanceof SequenceNode sequence) {
            if (sequence.getValue().isEmpty()) {
                throw value.problem("field '" + field + "' must not be an empty list");
            }
            return sequence.getValue().stream().map(n -> new YamlTree(file, n)).toList();
        }
        return List.of(value);
    }

    /** This node as a one-element list, or its elements if it is a list. */
    List<YamlTree> oneOrMoreSelf() {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue().stream().map(n -> new YamlTree(file, n)).toList();
        }
        return List.of(this);
    }

    /** The elements of a list of mappings. */
    List<YamlTree> objects(String field) {
        YamlTree value = get(field);
        if (!(value.node instanceof SequenceNode sequence)) {
            throw value.problem("field '" + field + "' must be a list");
        }
        List<YamlTree> entries = new ArrayList<>();
        for (Node element : sequence.getValue()) {
            YamlTree entry = new YamlTree(file, element);
            if (!(element instanceof MappingNode)) {
                throw entry.problem("each entry of '" + field + "' must be a mapping");
            }
            entries.add(entry);
        }
        return entries;
    }

    /** A mapping's entries by name. */
    Map<String, YamlTree> mapping(String field) {
        YamlTree value = get(field);
        if (!(value.node instanceof MappingNode)) {
            throw value.problem("field '" + field + "' must be a mapping");
        }
        return value.fields();
    }

    YamlTree object(String field) {
        YamlTree value = get(field);
        if (!(value.node instanceof MappingNode)) {
            throw value.problem("field '" + field + "' must be a mapping");
        }
        return value;
    }
}
