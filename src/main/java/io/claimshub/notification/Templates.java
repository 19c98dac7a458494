package io.claimshub.notification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The message templates in {@code config/templates/}: one Mustache file per template, channel and language,
 * {@code <template>.<channel>.<locale>.mustache} (e.g. {@code claim-approved.email.de.mustache}). An e-mail
 * template starts with a {@code Subject:} line and a blank line, then the body; an SMS template is the text.
 * A message takes the claimant's language if there is a file for it (fr-CH, then fr), else the fallback language.
 */
public final class Templates {

    public static final String SUFFIX = ".mustache";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    // a Mustache tag: {{name}}, {{{name}}}, {{& name}}, {{#section}}, {{^inverted}}, {{/end}}, {{! comment}}
    private static final Pattern TAG = Pattern.compile("\\{\\{(\\{?)\\s*([#^/!&>]?)\\s*([^}]*?)\\s*\\}?\\}\\}");

    private static final Object MISSING = new Object();

    private final Path directory;

    public Templates(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** The file of a template for a channel and language, or empty if there is none. */
    public Optional<Path> file(String template, Channel channel, String locale) {
        Path file = directory.resolve(template + "." + channel.wireName() + "." + locale + SUFFIX);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** For the rules loader: a template must exist in the fallback language for the channel that uses it. */
    public Optional<String> problem(String template, Channel channel, String defaultLocale) {
        if (!NAME.matcher(template).matches()) {
            return Optional.of("template name '" + template + "' must be lower-case letters, digits and '-'");
        }
        if (file(template, channel, defaultLocale).isEmpty()) {
            return Optional.of("no template file " + directory.resolve(template + "." + channel.wireName() + "."
                    + defaultLocale + SUFFIX));
        }
        return Optional.empty();
    }

    /** The file to render for a recipient's language: the language with region, the language, then the fallback. */
    public Path resolve(String template, Channel channel, String locale, String defaultLocale) {
        if (locale != null && !locale.isBlank()) {
            String wanted = locale.strip();
            Optional<Path> exact = file(template, channel, wanted);
            if (exact.isPresent()) {
                return exact.get();
            }
            int dash = wanted.indexOf('-');
            if (dash > 0) {
                Optional<Path> language = file(template, channel, wanted.substring(0, dash).toLowerCase(Locale.ROOT));
                if (language.isPresent()) {
                    return language.get();
                }
            }
            Optional<Path> lower = file(template, channel, wanted.toLowerCase(Locale.ROOT));
            if (lower.isPresent()) {
                return lower.get();
            }
        }
        return file(template, channel, defaultLocale).orElseThrow(() -> new IllegalStateException(
                "no template file for " + template + "." + channel.wireName() + "." + defaultLocale));
    }

    /** Every template file in the directory. */
    public List<Path> all() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles and renders every template file once against the sample claim, and lints it ({@link #lint}).
     *
     * @throws io.claimshub.processing.InvalidConfigurationException naming the file and the line of the first problem
     */
    public void checkAll() {
        Map<String, Object> sample = MessageModel.sample();
        com.github.mustachejava.MustacheFactory mustache = new PlainTextMustacheFactory();
        for (Path file : all()) {
            List<String> problems = lint(file, Map.of("body", sample));
            if (!problems.isEmpty()) {
                throw new io.claimshub.processing.InvalidConfigurationException(file, String.join("; ", problems)
                        .replace(file + " ", "").replace(file + ": ", ""));
            }
            try (java.io.Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                // the scope the mustache component gives a template: the exchange's body is the model
                mustache.compile(reader, file.getFileName().toString())
                        .execute(new java.io.StringWriter(), Map.of("body", sample)).flush();
            } catch (IOException e) {
                throw new io.claimshub.processing.InvalidConfigurationException(file, "cannot be read: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new io.claimshub.processing.InvalidConfigurationException(file, "does not render: "
                        + e.getMessage(), e);
            }
        }
    }

    /** The channel a template file is for, from its name. */
    public static Optional<Channel> channelOf(Path file) {
        String[] parts = file.getFileName().toString().split("\\.");
        return parts.length == 4 ? Channel.fromWire(parts[1]) : Optional.empty();
    }

    /**
     * The problems of one template file that Mustache itself would let pass: a name the message model does not have
     * (a typo renders as nothing), an e-mail template without its Subject line, a file name not of the form above.
     * Each problem names the file and the line. Syntax errors are found by rendering the file once.
     */
    public static List<String> lint(Path file, Map<String, Object> sampleModel) {
        List<String> problems = new ArrayList<>();
        Optional<Channel> channel = channelOf(file);
        if (channel.isEmpty() || !channel.get().templated()) {
            problems.add(file + ": the name must be <template>.<email|sms>.<locale>.mustache");
            return problems;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(file + ": cannot be read: " + e.getMessage());
            return problems;
        }
        if (channel.get() == Channel.EMAIL && !text.startsWith("Subject:")) {
            problems.add(file + " line 1: an e-mail template starts with 'Subject: ...', then a blank line and the body");
        }
        Deque<String> sections = new ArrayDeque<>();
        Matcher tag = TAG.matcher(text);
        while (tag.find()) {
            String kind = tag.group(2);
            String name = tag.group(3);
            int line = 1 + (int) text.substring(0, tag.start()).chars().filter(c -> c == '\n').count();
            switch (kind) {
                case "!", ">" -> { }
                case "/" -> {
                    if (!sections.isEmpty()) {
                        sections.pop();
                    }
                }
                default -> {
                    if (!name.equals(".") && resolve(sampleModel, sections, name) == MISSING) {
                        problems.add(file + " line " + line + ": unknown name '" + name + "' (a template sees "
                                + "body.claim, body.claimant, body.adjuster, body.event and body.recipient, each with "
                                + "its fields: docs/notifications.md)");
                    }
                    if (kind.equals("#") || kind.equals("^")) {
                        sections.push(name);
                    }
                }
            }
        }
        return problems;
    }

    // a dotted name looked up as Mustache does: in the innermost section first, then outwards, then at the top
    private static Object resolve(Map<String, Object> model, Deque<String> sections, String name) {
        List<String> scopes = new ArrayList<>();
        StringBuilder path = new StringBuilder();
        List<String> open = new ArrayList<>(sections);
        java.util.Collections.reverse(open);
        for (String section : open) {
            path.append(path.length() == 0 ? "" : ".").append(section);
            scopes.add(0, path.toString());
        }
        for (String scope : scopes) {
            Object value = lookup(model, scope + "." + name);
            if (value != MISSING) {
                return value;
            }
        }
        return lookup(model, name);
    }

    @SuppressWarnings("unchecked")
    private static Object lookup(Map<String, Object> model, String dotted) {
        Object current = model;
        for (String part : dotted.split("\\.")) {
            if (current instanceof List<?> list && !list.isEmpty()) {
                current = list.get(0);
            }
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return MISSING;
            }
            current = ((Map<String, Object>) map).get(part);
        }
        return current;
    }
}
