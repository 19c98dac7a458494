package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.component.redisstreams.RedisStreamsComponent;
import io.claimshub.event.StreamEntryCodec;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;

/**
 * Entries per second through one {@code redis-streams} consumer route that does no work, against a minimal
 * hand-written XREADGROUP + XACK loop on the same connection factory. Variants alternate round by round, each on a
 * fresh copy of the same preloaded stream and a fresh group, and the medians are reported.
 *
 * <p>Not a test (no *Test / *IT name): run it with {@code mvn -B -q -Pbench test-compile exec:java}. Settings are
 * system properties: {@code bench.entries} (200000), {@code bench.rounds} (7), {@code bench.warmupRounds} (1),
 * {@code bench.consumers} (1,2,4), {@code bench.batching} (1: thread counts of the {@code batching=true} variants,
 * empty for none; each as {@code batching-n}, and as {@code batching-n-sync} with {@code readAhead=false}), {@code bench.decodingBaseline} (true: also a baseline that decodes fields);
 * {@code bench.leanCamel} (false: Camel's defaults, as in the hub); {@code REDIS_URL} selects an external Redis instead of the embedded one.
 */
public final class ConsumerThroughputBenchmark {

    private static final String GROUP = "bench";
    private static final int COUNT = 100;
    private static final String TEMPLATE_KEY = "bench:claim-events:template";
    private static final String[] EVENT_TYPES = {
            "ClaimSubmitted", "ClaimAssigned", "ClaimDocumentUploaded", "ClaimInvestigated", "ClaimApproved",
            "ClaimPaymentInitiated", "ClaimPaymentCompleted" };

    private static final boolean LEAN_CAMEL = Boolean.getBoolean("bench.leanCamel");

    private final int entries;
    private final BenchRedis redis;
    private final JedisConnectionFactory factory;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One timed run: throughput, and CPU spent per entry by this JVM and by Redis (robust to other load on the host). */
    private record Run(double entriesPerSecond, double clientCpuMicros, double redisCpuMicros) {
    }

    private ConsumerThroughputBenchmark(int entries, BenchRedis redis) {
        this.entries = entries;
        this.redis = redis;
        this.factory = redis.factory;
    }

    public static void main(String[] args) throws Exception {
        int entries = Integer.getInteger("bench.entries", 200_000);
        int rounds = Integer.getInteger("bench.rounds", 7);
        int warmupRounds = Integer.getInteger("bench.warmupRounds", 1);
        boolean decodingBaseline = Boolean.parseBoolean(System.getProperty("bench.decodingBaseline", "true"));
        int[] consumerCounts = threadCounts(System.getProperty("bench.consumers", "1,2,4"));
        int[] batchingCounts = threadCounts(System.getProperty("bench.batching", "1"));
        quietLogging();

        try (BenchRedis redis = BenchRedis.start()) {
            new ConsumerThroughputBenchmark(entries, redis).run(rounds, warmupRounds, decodingBaseline, consumerCounts,
                    batchingCounts);
        }
    }

    private static int[] threadCounts(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(t -> !t.isEmpty()).mapToInt(Integer::parseInt)
                .toArray();
    }

    private void run(int rounds, int warmupRounds, boolean decodingBaseline, int[] consumerCounts, int[] batchingCounts)
            throws Exception {
        printMachine("redis-streams consumer throughput", redis,
                "camel       " + (LEAN_CAMEL ? "JMX and stream caching off (bench.leanCamel)" : "defaults, as the hub runs (JMX and stream caching on)"),
                "plan        " + warmupRounds + " warm-up + " + rounds + " measured round(s), " + entries
                + " entries per run, COUNT " + COUNT);
        long preloadStart = System.nanoTime();
        preload();
        System.out.printf(Locale.ROOT, "preloaded %,d entries (avg %d bytes of field values) in %.1f s%n%n", entries,
                averageEntrySize(), seconds(System.nanoTime() - preloadStart));

        List<String> variants = new ArrayList<>();
        variants.add("baseline");
        if (decodingBaseline) {
            variants.add("baseline+decode");
        }
        for (int c : consumerCounts) {
            variants.add("component-" + c);
        }
        for (int c : batchingCounts) {
            variants.add("batching-" + c);
            variants.add("batching-" + c + "-sync");
        }
        Map<String, List<Run>> results = new LinkedHashMap<>();
        variants.forEach(v -> results.put(v, new ArrayList<>()));

        for (int round = 1 - warmupRounds; round <= rounds; round++) {
            boolean warmup = round < 1;
            // alternate the order so that no variant always runs first or last in a round
            List<String> order = new ArrayList<>(variants);
            if ((round & 1) == 0) {
                Collections.reverse(order);
            }
            for (String variant : order) {
                String key = "bench:claim-events:" + UUID.randomUUID();
                copyTemplate(key);
                Run run;
                try {
                    // garbage left by the previous run should not be collected on this one's clock
                    System.gc();
                    long cpuBefore = os.getProcessCpuTime();
                    double redisBefore = redis.cpuSeconds();
                    double rate = switch (variant) {
                        case "baseline" -> baseline(key, false);
                        case "baseline+decode" -> baseline(key, true);
                        default -> component(key, consumersOf(variant), variant.startsWith("batching"),
                                !variant.endsWith("-sync"));
                    };
                    // CPU includes the few ms of route start/stop for the component runs; negligible against the drain
                    run = new Run(rate, (os.getProcessCpuTime() - cpuBefore) / 1e3 / entries,
                            (redis.cpuSeconds() - redisBefore) * 1e6 / entries);
                } finally {
                    delete(key);
                }
                System.out.printf(Locale.ROOT, "%s round %d  %-16s %,10.0f entries/s  cpu/entry: jvm %5.1f us, redis %4.1f us  load %s%n",
                        warmup ? "warmup" : "      ", round, variant, run.entriesPerSecond(), run.clientCpuMicros(),
                        run.redisCpuMicros(), loadAverage());
                if (!warmup) {
                    results.get(variant).add(run);
                }
            }
        }

        double baseline = median(results.get("baseline"), Run::entriesPerSecond);
        double baselineCpu = median(results.get("baseline"), Run::clientCpuMicros);
        System.out.printf(Locale.ROOT, "%nmedian of %d rounds, %,d entries each, COUNT %d%n", rounds, entries, COUNT);
        System.out.printf(Locale.ROOT, "%-16s %12s %8s %14s %12s %14s  %s%n", "variant", "entries/s", "vs base",
                "jvm cpu us/e", "vs base", "redis cpu us/e", "entries/s of each round");
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            double rate = median(e.getValue(), Run::entriesPerSecond);
            double cpu = median(e.getValue(), Run::clientCpuMicros);
            System.out.printf(Locale.ROOT, "%-16s %,12.0f %7.0f%% %14.2f %11.2fx %14.2f  %s%n", e.getKey(), rate,
                    100 * rate / baseline, cpu, cpu / baselineCpu, median(e.getValue(), Run::redisCpuMicros),
                    e.getValue().stream().map(r -> String.format(Locale.ROOT, "%.0f", r.entriesPerSecond())).toList());
        }
    }

    /**
     * The minimal loop the component is measured against: XREADGROUP COUNT 100, then one XACK of the batch's ids. With
     * {@code decode} it also turns each entry's fields into a {@code Map<String, String>}, as the component must, which
     * splits the component's overhead into decoding and the rest (exchange, headers, routing).
     */
    private double baseline(String key, boolean decode) {
        byte[][] read = args("GROUP", GROUP, "baseline-1", "COUNT", Integer.toString(COUNT), "STREAMS", key, ">");
        byte[] keyBytes = bytes(key);
        byte[] groupBytes = bytes(GROUP);
        long consumed = 0;
        long decoded = 0;
        try (RedisConnection connection = factory.getConnection()) {
            long start = System.nanoTime();
            while (consumed < entries) {
                Object reply = connection.execute("XREADGROUP", read);
                if (!(reply instanceof List<?> streams) || streams.isEmpty()) {
                    throw new IllegalStateException("Stream drained after " + consumed + " of " + entries + " entries");
                }
                List<?> batch = (List<?>) ((List<?>) streams.get(0)).get(1);
                byte[][] ack = new byte[batch.size() + 2][];
                ack[0] = keyBytes;
                ack[1] = groupBytes;
                for (int i = 0; i < batch.size(); i++) {
                    List<?> entry = (List<?>) batch.get(i);
                    ack[i + 2] = (byte[]) entry.get(0);
                    if (decode) {
                        decoded += decodeFields((List<?>) entry.get(1)).size();
                    }
                }
                connection.execute("XACK", ack);
                consumed += batch.size();
            }
            long elapsed = System.nanoTime() - start;
            requireNothingPending(connection, key);
            if (decode && decoded != 7L * consumed) {
                throw new IllegalStateException("Decoded " + decoded + " fields of " + consumed + " entries");
            }
            return consumed / seconds(elapsed);
        }
    }

    private static Map<String, String> decodeFields(List<?> pairs) {
        Map<String, String> fields = new LinkedHashMap<>(pairs.size());
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            fields.put(new String((byte[]) pairs.get(i), StandardCharsets.UTF_8),
                    new String((byte[]) pairs.get(i + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /**
     * The component: a route from {@code redis-streams} to a processor that only counts, one exchange per entry or, with
     * {@code batching}, one per read (the processor counts the entries of the body's list); {@code readAhead} as given. Timed from route start
     * until every entry was delivered and the group has nothing pending (the last batch acknowledged).
     */
    private double component(String key, int consumers, boolean batching, boolean readAhead) throws Exception {
        CountDownLatch delivered = new CountDownLatch(entries);
        AtomicLong deliveries = new AtomicLong();
        CamelContext camel = new DefaultCamelContext();
        if (LEAN_CAMEL) {
            // what per-exchange JMX statistics and stream caching (both on in the hub) cost a no-op route
            camel.disableJMX();
            camel.setStreamCaching(false);
        }
        try {
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.setConnectionFactory(factory);
            camel.addComponent("redis-streams", component);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // block=100 only shortens the stop after the stream is drained; while entries are there it never waits
                    from("redis-streams:" + key + "?group=" + GROUP + "&count=" + COUNT + "&concurrentConsumers=" + consumers
                         + "&consumerName=component&block=100&batching=" + batching + "&readAhead=" + readAhead)
                            .routeId("bench").autoStartup(false)
                            .process(exchange -> {
                                int n = batching ? exchange.getMessage().getBody(List.class).size() : 1;
                                deliveries.addAndGet(n);
                                for (int i = 0; i < n; i++) {
                                    delivered.countDown();
                                }
                            });
                }
            });
            camel.start();
            try (RedisConnection connection = factory.getConnection()) {
                long start = System.nanoTime();
                camel.getRouteController().startRoute("bench");
                if (!delivered.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("Only " + deliveries.get() + " of " + entries + " entries delivered");
                }
                Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30))
                        .until(() -> pending(connection, key) == 0);
                long elapsed = System.nanoTime() - start;
                if (deliveries.get() != entries) {
                    throw new IllegalStateException(deliveries.get() + " deliveries for " + entries + " entries");
                }
                return entries / seconds(elapsed);
            }
        } finally {
            camel.close();
        }
    }

    /** Claim-event-shaped entries, as {@link StreamEntryCodec} writes them, added with pipelining. */
    private void preload() {
        try (RedisConnection connection = factory.getConnection()) {
            connection.keyCommands().del(bytes(TEMPLATE_KEY));
            int batch = 1000;
            for (int first = 0; first < entries; first += batch) {
                connection.openPipeline();
                for (int i = first; i < Math.min(entries, first + batch); i++) {
                    Map<byte[], byte[]> fields = new LinkedHashMap<>();
                    claimEvent(i).forEach((k, v) -> fields.put(bytes(k), bytes(v)));
                    MapRecord<byte[], byte[], byte[]> record = StreamRecords.newRecord().in(bytes(TEMPLATE_KEY)).ofMap(fields);
                    connection.streamCommands().xAdd(record);
                }
                connection.closePipeline();
            }
            Long length = connection.streamCommands().xLen(bytes(TEMPLATE_KEY));
            if (length == null || length != entries) {
                throw new IllegalStateException("Preloaded " + length + " entries, wanted " + entries);
            }
        }
    }

    private static Map<String, String> claimEvent(int i) {
        String claimId = String.format(Locale.ROOT, "CLM-%08X", i / 7);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(StreamEntryCodec.EVENT_ID, UUID.randomUUID().toString());
        fields.put(StreamEntryCodec.EVENT_TYPE, EVENT_TYPES[i % EVENT_TYPES.length]);
        fields.put(StreamEntryCodec.CLAIM_ID, claimId);
        fields.put(StreamEntryCodec.TIMESTAMP, Instant.parse("2026-03-02T09:00:00Z").plusSeconds(i).toString());
        fields.put(StreamEntryCodec.VERSION, "1.0");
        fields.put(StreamEntryCodec.DATA, String.format(Locale.ROOT,
                "{\"policyNumber\":\"POL-%06d\",\"claimType\":\"AUTO\",\"incidentDate\":\"2026-02-27\","
                + "\"description\":\"Rear-ended at a traffic light on the ring road\","
                + "\"amountClaimed\":{\"amount\":\"%d.00\",\"currency\":\"EUR\"},"
                + "\"claimant\":{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"phone\":\"+447700900123\"},"
                + "\"region\":\"eu-west\",\"priority\":\"NORMAL\"}", i % 1_000_000, 500 + i % 9500));
        fields.put(StreamEntryCodec.CLAIM_VERSION, Integer.toString(1 + i % 7));
        return fields;
    }

    private static int averageEntrySize() {
        return claimEvent(123).entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
    }

    /** A fresh stream with the preloaded entries (COPY, Redis 6.2+) and a fresh group at its beginning. */
    private void copyTemplate(String key) {
        try (RedisConnection connection = factory.getConnection()) {
            connection.execute("COPY", bytes(TEMPLATE_KEY), bytes(key));
            connection.execute("XGROUP", args("CREATE", key, GROUP, "0"));
        }
    }

    private void delete(String key) {
        try (RedisConnection connection = factory.getConnection()) {
            connection.keyCommands().del(bytes(key));
        }
    }

    private static long pending(RedisConnection connection, String key) {
        List<?> summary = (List<?>) connection.execute("XPENDING", args(key, GROUP));
        return (Long) summary.get(0);
    }

    private static void requireNothingPending(RedisConnection connection, String key) {
        long pending = pending(connection, key);
        if (pending != 0) {
            throw new IllegalStateException(pending + " entries still pending on " + key);
        }
    }

    private static int consumersOf(String variant) {
        return Integer.parseInt(variant.split("-")[1]);
    }

    private static byte[][] args(String... values) {
        byte[][] result = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            result[i] = bytes(values[i]);
        }
        return result;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
