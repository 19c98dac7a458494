package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.latencyHistogram;
import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.percentiles;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.claimshub.bench.BenchmarkSupport.BenchHub;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.ops.StreamInspector;
import io.claimshub.ops.StreamStatus;
import org.HdrHistogram.Histogram;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import io.claimshub.testsupport.TestHub;

/**
 * What the operations metrics cost with a large stream: {@code GET /observe/metrics} on the booted hub, and the
 * collection of one stream's figures (the {@code stream-status} script), with one million entries in the stream and
 * 10,000 pending, against the same groups on a stream of 1,000 entries (the same-run baseline): the cost must not grow
 * with the entries.
 *
 * <p>The big stream has three groups: {@code slow} was delivered the first 10,000 entries and acknowledged none (10,000
 * pending, lag 990,000: on Redis 6.2 counted up to the lag count limit and estimated beyond),
 * {@code stopped} was never delivered anything (lag = length), {@code live} is caught up. The small stream has the
 * same groups, with 100 pending. The scrapes go to a hub watching the small stream (the baseline), then to one
 * watching both ({@code hub.metrics.streams}); each collects every 5 s, as by default.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.OpsMetricsBenchmark}.
 * Settings: {@code bench.entries} (1000000), {@code bench.pending} (10000), {@code bench.scrapes} (500),
 * {@code bench.rounds} (5, collections per stream per round: 20), {@code bench.lagCountLimit} (1000, as
 * {@code hub.metrics.lag-count-limit}).
 */
public final class OpsMetricsBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        quietLogging();
        int entries = Integer.getInteger("bench.entries", 1_000_000);
        int pending = Integer.getInteger("bench.pending", 10_000);
        int scrapes = Integer.getInteger("bench.scrapes", 500);
        int rounds = Integer.getInteger("bench.rounds", 5);
        int lagCountLimit = Integer.getInteger("bench.lagCountLimit", 1000);
        try (BenchRedis redis = BenchRedis.start()) {
            StringRedisTemplate template = new StringRedisTemplate(redis.factory);
            template.afterPropertiesSet();
            String big = "bench:ops:big:" + UUID.randomUUID();
            String small = "bench:ops:small:" + UUID.randomUUID();
            long loadStart = System.nanoTime();
            fill(redis, big, entries);
            fill(redis, small, 1_000);
            groups(template, big, pending);
            groups(template, small, 100);
            printMachine("OpsMetricsBenchmark: /observe/metrics and one stream's collection, 1,000 vs "
                            + entries + " entries", redis,
                    String.format(Locale.ROOT, "setup       %,d + 1,000 entries and their groups in %.1f s; big stream %,d bytes (MEMORY USAGE)",
                            entries, seconds(System.nanoTime() - loadStart), new StreamInspector(template, lagCountLimit).status(big).memoryBytes()));

            StreamInspector inspector = new StreamInspector(template, lagCountLimit);
            StreamStatus seen = inspector.status(big);
            System.out.printf(Locale.ROOT, "big stream  length %,d; %s%n", seen.length(), seen.groups().stream()
                    .map(g -> g.name() + " lag " + g.lag() + (g.lagExact() ? "" : " (estimated)") + " pending " + g.pending())
                    .toList());
            for (int i = 0; i < 20; i++) { // warm-up
                inspector.status(small);
                inspector.status(big);
            }
            List<double[]> collections = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                double[] pair = new double[2];
                for (int i = 0; i < 20; i++) {
                    boolean bigFirst = (round + i) % 2 == 0;
                    double first = time(inspector, bigFirst ? big : small);
                    double second = time(inspector, bigFirst ? small : big);
                    pair[0] += (bigFirst ? second : first) / 20;
                    pair[1] += (bigFirst ? first : second) / 20;
                }
                collections.add(pair);
                System.out.printf(Locale.ROOT, "round %d     collection: small %6.2f ms, big %6.2f ms  (load %s)%n",
                        round + 1, pair[0], pair[1], loadAverage());
            }
            double smallMs = median(collections, p -> p[0]);
            double bigMs = median(collections, p -> p[1]);
            System.out.printf(Locale.ROOT, "collection  median of %d rounds: small %.2f ms, big %.2f ms, ratio %.2f%n",
                    rounds, smallMs, bigMs, bigMs / smallMs);

            // the same-run baseline: the hub watching only the small stream; then both
            for (String watched : List.of(small, small + "," + big)) {
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("hub.metrics.streams", watched);
                settings.put("hub.ingest.enabled", "false");
                settings.put("hub.metrics.lag-count-limit", Integer.toString(lagCountLimit));
                try (BenchHub hub = new BenchHub(redis, Path.of("config/adjusters.yaml"), settings)) {
                    String url = hub.hub.managementBase() + "/observe/metrics";
                    for (int i = 0; i < 50; i++) {
                        scrape(url);
                    }
                    Histogram latency = latencyHistogram();
                    int bytes = 0;
                    for (int i = 0; i < scrapes; i++) {
                        long start = System.nanoTime();
                        bytes = scrape(url);
                        latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                    }
                    System.out.printf(Locale.ROOT, "scrape      %-5s %d x GET /observe/metrics (%,d bytes): %s  (load %s)%n",
                            watched.contains(",") ? "big" : "small", scrapes, bytes, percentiles(latency), loadAverage());
                }
            }
            template.delete(List.of(big, small));
        }
    }

    private static double time(StreamInspector inspector, String stream) {
        long start = System.nanoTime();
        inspector.status(stream);
        return (System.nanoTime() - start) / 1e6;
    }

    private static int scrape(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", TestHub.API_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("scrape answered " + response.statusCode());
        }
        return response.body().length;
    }

    /** Entries of about the size of a claim event's log entry (seven fields, ~450 bytes), pipelined. */
    private static void fill(BenchRedis redis, String stream, int count) {
        byte[] key = stream.getBytes(StandardCharsets.UTF_8);
        String data = "x".repeat(300);
        int batch = 10_000;
        for (int done = 0; done < count; done += batch) {
            int n = Math.min(batch, count - done);
            int from = done;
            try (RedisConnection connection = redis.factory.getConnection()) {
                connection.openPipeline();
                for (int i = 0; i < n; i++) {
                    Map<byte[], byte[]> fields = new LinkedHashMap<>();
                    put(fields, "eventId", UUID.randomUUID().toString());
                    put(fields, "eventType", "claim.submitted");
                    put(fields, "claimId", "CLM-" + (10_000_000 + from + i));
                    put(fields, "claimVersion", "1");
                    put(fields, "timestamp", "2026-03-02T09:00:00Z");
                    put(fields, "source", "bench");
                    put(fields, "data", data);
                    connection.streamCommands().xAdd(StreamRecords.newRecord().in(key).ofMap(fields), XAddOptions.none());
                }
                connection.closePipeline();
            }
        }
    }

    private static void put(Map<byte[], byte[]> fields, String name, String value) {
        fields.put(name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static void groups(StringRedisTemplate template, String stream, int pending) {
        template.opsForStream().createGroup(stream, ReadOffset.from("0-0"), "slow");
        template.opsForStream().createGroup(stream, ReadOffset.from("0-0"), "stopped");
        template.opsForStream().createGroup(stream, ReadOffset.latest(), "live");
        int read = 0;
        while (read < pending) {
            List<MapRecord<String, Object, Object>> got = template.opsForStream().read(Consumer.from("slow", "c1"),
                    StreamReadOptions.empty().count(Math.min(1000, pending - read)),
                    StreamOffset.create(stream, ReadOffset.lastConsumed()));
            read += got.size();
        }
    }
}
