package io.claimshub.bench;

import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

import ch.qos.logback.classic.Level;
import io.claimshub.config.RedisConnectionFactories;
import io.claimshub.config.RedisConnectionSettings;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import redis.embedded.RedisServer;

/**
 * What the benchmarks share: the Redis they run on (embedded 6.2, or {@code REDIS_URL}), the machine header every
 * report starts with, the load average, medians and latency percentiles, and Redis's own counters.
 */
final class BenchmarkSupport {

    private BenchmarkSupport() {
    }

    /** The embedded Redis 6.2 (no persistence) on a free port, or the server {@code REDIS_URL} names. */
    static final class BenchRedis implements AutoCloseable {
        final String url;
        final String description;
        final JedisConnectionFactory factory;
        private final RedisServer server;

        private BenchRedis(String url, String description, RedisServer server) {
            this.url = url;
            this.description = description;
            this.server = server;
            this.factory = RedisConnectionFactories.jedis(
                    RedisConnectionSettings.parse(url, null, null, Duration.ofSeconds(10), 32));
        }

        static BenchRedis start() throws IOException {
            String external = System.getenv("REDIS_URL");
            if (external != null && !external.isBlank()) {
                return new BenchRedis(external, "REDIS_URL", null);
            }
            int port = TestRedis.freePort();
            RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").onShutdownForceStop(true).build();
            server.start();
            String url = "redis://127.0.0.1:" + port;
            return new BenchRedis(url, "embedded " + url, server);
        }

        /** {@code INFO <section>} of the server. */
        Properties info(String section) {
            try (RedisConnection connection = factory.getConnection()) {
                return connection.serverCommands().info(section);
            }
        }

        /** used_cpu_user + used_cpu_sys of the Redis server, in seconds. */
        double cpuSeconds() {
            Properties cpu = info("cpu");
            return Double.parseDouble(cpu.getProperty("used_cpu_user")) + Double.parseDouble(cpu.getProperty("used_cpu_sys"));
        }

        /**
         * Calls per command since the server started ({@code INFO commandstats}: {@code evalsha -> 1234}). Commands a
         * script runs are counted too, under their own names.
         */
        Map<String, Long> commandCalls() {
            Map<String, Long> calls = new LinkedHashMap<>();
            info("commandstats").forEach((key, value) -> {
                String name = key.toString();
                if (name.startsWith("cmdstat_")) {
                    String stats = value.toString();
                    int start = stats.indexOf("calls=") + "calls=".length();
                    calls.put(name.substring("cmdstat_".length()), Long.parseLong(stats.substring(start, stats.indexOf(',', start))));
                }
            });
            return calls;
        }

        @Override
        public void close() throws IOException {
            factory.destroy();
            if (server != null) {
                server.stop();
            }
        }
    }

    /**
     * The real hub, booted as the tests boot it ({@link TestHub}) on the benchmark's Redis, with its own global log
     * and key namespace, the sample rules and SLA copied from {@code config/}, and the given roster.
     */
    static final class BenchHub implements AutoCloseable {
        final TestHub hub;
        final String baseUrl;
        final String stream;

        BenchHub(BenchRedis redis, Path roster, Map<String, String> overrides) throws Exception {
            Path dir = Files.createTempDirectory("claimshub-bench");
            Files.copy(Path.of("config/rules.yaml"), dir.resolve("rules.yaml"));
            Files.copy(Path.of("config/sla.yaml"), dir.resolve("sla.yaml"));
            stream = "bench:claims:events:" + UUID.randomUUID();
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("hub.redis.url", redis.url);
            settings.put("hub.events.stream", stream);
            settings.put("hub.consumer.name", "bench");
            settings.put("hub.processing.namespace", "bench:" + UUID.randomUUID());
            settings.put("hub.processing.roster-file", roster.toString());
            settings.put("hub.processing.rules-file", dir.resolve("rules.yaml").toString());
            settings.put("hub.processing.sla-file", dir.resolve("sla.yaml").toString());
            settings.put("hub.ingest.dir", dir.resolve("inbox").toString());
            settings.putAll(overrides);
            hub = TestHub.start(settings);
            baseUrl = hub.apiBase();
        }

        @Override
        public void close() {
            hub.close();
        }
    }

    /**
     * Waits until every consumer group of the hub's log has read and acknowledged all of it, so that the next run does
     * not compete with the hub catching up on this one; says how long that took.
     */
    static void awaitConsumersCaughtUp(BenchRedis redis, String stream) {
        long start = System.nanoTime();
        byte[] key = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try (RedisConnection connection = redis.factory.getConnection()) {
                    String last = connection.streamCommands().xInfo(key).lastGeneratedId();
                    return connection.streamCommands().xInfoGroups(key).stream()
                            .allMatch(g -> g.lastDeliveredId().equals(last) && g.pendingCount() == 0);
                }
            });
            System.out.printf(Locale.ROOT, "        consumers caught up %.1f s after the run%n", seconds(System.nanoTime() - start));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("        consumers still behind 300 s after the run");
        }
    }

    /** The header of every report: what ran, where and when; the load average is repeated on every result line. */
    static void printMachine(String title, BenchRedis redis, String... details) {
        System.out.println("# " + title);
        System.out.println("date        " + Instant.now());
        System.out.println("cpus        " + Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")");
        System.out.println("java        " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                           + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
        System.out.println("os          " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                           + System.getProperty("os.arch"));
        System.out.println("redis       " + redis.info("server").getProperty("redis_version") + " (" + redis.description + ")");
        System.out.println("load        " + loadAverages());
        for (String detail : details) {
            System.out.println(detail);
        }
    }

    /** The 1-minute load average. */
    static String loadAverage() {
        return loadAverages().split(" ")[0];
    }

    private static String loadAverages() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    static void quietLogging() {
        // one INFO line per route start and stop would drown the figures
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.camel")).setLevel(Level.WARN);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.claimshub")).setLevel(Level.WARN);
    }

    static <T> double median(List<T> runs, ToDoubleFunction<T> figure) {
        double[] sorted = runs.stream().mapToDouble(figure).sorted().toArray();
        return median(sorted);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A histogram of latencies in microseconds, 1 µs to 1 min, 3 significant digits. */
    static Histogram latencyHistogram() {
        return new Histogram(1, 60_000_000L, 3);
    }

    /** A percentile of a latency histogram in microseconds, as milliseconds. */
    static double millis(Histogram micros, double percentile) {
        return micros.getValueAtPercentile(percentile) / 1000.0;
    }

    static String percentiles(Histogram micros) {
        return String.format(Locale.ROOT, "p50 %6.2f  p99 %6.2f  p99.9 %7.2f  max %7.2f ms", millis(micros, 50),
                millis(micros, 99), millis(micros, 99.9), micros.getMaxValue() / 1000.0);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static int[] intList(String property, String defaults) {
        return Arrays.stream(System.getProperty(property, defaults).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    }

    /** Writes a roster of four senior adjusters for every claim type and region, who never run out of capacity. */
    static Path everyoneEligibleRoster(Path file) throws IOException {
        StringBuilder yaml = new StringBuilder("adjusters:\n");
        for (int i = 1; i <= 4; i++) {
            yaml.append("""
                      - id: ADJ-B%d
                        name: Bench Adjuster %d
                        email: bench%d@claimshub.example
                        phone: "+41 44 555 00 0%d"
                        claimTypes: [auto, property, health, liability, travel]
                        regions: ["*"]
                        seniority: SENIOR
                        authorityLimit: 1000000.00
                        maxOpenClaims: 1000000
                    """.formatted(i, i, i, i));
        }
        Files.writeString(file, yaml);
        return file;
    }

    /** The {@code hub.*} system properties of the benchmark's command line, passed on to the hub. */
    static Map<String, String> hubSettings() {
        Map<String, String> settings = new java.util.TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("hub.")) {
                settings.put(k.toString(), v.toString());
            }
        });
        return settings;
    }
}
