package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.claimshub.testsupport.TestHub;

/** One scrape of {@code /observe/metrics}, read as samples {@code name{labels} value}. */
final class MetricsScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Map<String, Map<Map<String, String>, Double>> samples = new LinkedHashMap<>();

    private MetricsScrape(String text) {
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(labels, Double.parseDouble(m.group(3)));
        }
    }

    static MetricsScrape of(String managementBase) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(managementBase + "/observe/metrics")).header("X-API-Key", TestHub.API_KEY)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new MetricsScrape(response.body());
    }

    Set<String> names() {
        return new TreeSet<>(samples.keySet());
    }

    /** The value of the sample named {@code name} whose labels include all of {@code labels}. */
    OptionalDouble value(String name, Map<String, String> labels) {
        return samples.getOrDefault(name, Map.of()).entrySet().stream()
                .filter(e -> e.getKey().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Map.Entry::getValue).findFirst();
    }

    /** Every sample named {@code name} whose labels include {@code labels}, summed. */
    double sum(String name, Map<String, String> labels) {
        return samples.getOrDefault(name, Map.of()).entrySet().stream()
                .filter(e -> e.getKey().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
