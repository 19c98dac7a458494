package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import io.claimshub.analytics.AnalyticsKeys;
import io.claimshub.analytics.AnalyticsMetrics;
import io.claimshub.analytics.AnalyticsRebuild;
import io.claimshub.analytics.AnalyticsScenario;
import io.claimshub.analytics.AnalyticsStore;
import io.claimshub.analytics.LogEntry;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.store.ClaimEventStore;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

/**
 * The analytics counting a preloaded log of scripted claim lifecycles (about 200,000 events), one thread, batches of
 * 100: {@code baseline} is a bare XREADGROUP + XACK loop over the same log; {@code analytics} is that loop with each
 * batch counted by the analytics store (two scripts per batch); {@code rebuild} recomputes every record from the log
 * into a new generation. Each round uses a fresh group and key namespace; medians of the rounds are reported, with
 * Redis round trips (XREADGROUP, XACK and script calls from {@code INFO commandstats}, plus the rebuild's log pages) and CPU (this JVM + Redis) per event.
 *
 * <p>Not a test: {@code mvn -B -q -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.AnalyticsReplayBenchmark}.
 * System properties: {@code bench.claims} (42000, about 4.7 events each), {@code bench.rounds} (3),
 * {@code bench.warmupRounds} (1).
 */
public final class AnalyticsReplayBenchmark {

    private static final int COUNT = 100;
    /** {@code bench.commands=true}: also print each Redis command's calls and time per event (INFO commandstats). */
    private static final boolean COMMANDS = Boolean.getBoolean("bench.commands");
    private static final List<String> ROUND_TRIPS = List.of("xreadgroup", "xack", "evalsha", "eval");

    private final BenchRedis redis;
    private final String log = "bench:analytics-log:" + UUID.randomUUID();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private int events;

    private record Run(double eventsPerSecond, double roundTripsPerEvent, double cpuMicrosPerEvent, double jvmMicrosPerEvent) {
    }

    private AnalyticsReplayBenchmark(BenchRedis redis) {
        this.redis = redis;
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        try (BenchRedis redis = BenchRedis.start()) {
            new AnalyticsReplayBenchmark(redis).run(Integer.getInteger("bench.claims", 42_000),
                    Integer.getInteger("bench.rounds", 3), Integer.getInteger("bench.warmupRounds", 1));
        }
    }

    private void run(int claims, int rounds, int warmupRounds) {
        printMachine("analytics replay", redis, "plan        " + warmupRounds + " warm-up + " + rounds
                + " measured round(s), one thread, COUNT " + COUNT);
        long start = System.nanoTime();
        AnalyticsScenario scenario = AnalyticsScenario.generate(1, claims, AnalyticsScenario.recentStart(10), 9);
        scenario.appendAll(new ClaimEventStore(redis.factory, log));
        events = scenario.eventCount();
        System.out.printf(Locale.ROOT, "preloaded %,d events of %,d claims in %.1f s%n%n", events, claims,
                seconds(System.nanoTime() - start));
        Map<String, List<Run>> results = new LinkedHashMap<>();
        for (String variant : List.of("baseline", "analytics", "rebuild")) {
            results.put(variant, new ArrayList<>());
        }
        for (int round = 1 - warmupRounds; round <= rounds; round++) {
            for (String variant : results.keySet()) {
                Run run = measure(variant);
                System.out.printf(Locale.ROOT, "%s %-10s %,9.0f events/s  %.3f round trips/event  %.1f µs CPU/event (JVM %.1f)  load %s%n",
                        round < 1 ? "warm-up " : "round " + round + " ", variant, run.eventsPerSecond(),
                        run.roundTripsPerEvent(), run.cpuMicrosPerEvent(), run.jvmMicrosPerEvent(), BenchmarkSupport.loadAverage());
                if (round >= 1) {
                    results.get(variant).add(run);
                }
            }
        }
        System.out.println();
        System.out.println("medians     events/s   round trips/event   CPU µs/event (JVM + Redis)   of which JVM");
        results.forEach((variant, runs) -> System.out.printf(Locale.ROOT, "%-10s %,9.0f   %17.3f   %26.1f   %12.1f%n", variant,
                median(runs, Run::eventsPerSecond), median(runs, Run::roundTripsPerEvent), median(runs, Run::cpuMicrosPerEvent),
                median(runs, Run::jvmMicrosPerEvent)));
    }

    private Run measure(String variant) {
        String namespace = "bench:" + UUID.randomUUID();
        AnalyticsStore store = new AnalyticsStore(redis.factory, new AnalyticsKeys(namespace), Duration.ofDays(400),
                Duration.ofDays(14), Clock.systemUTC(), AnalyticsMetrics.NONE);
        Map<String, long[]> commandsBefore = COMMANDS ? commandStats() : Map.of();
        long trips = roundTrips();
        double redisCpu = redis.cpuSeconds();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        if (variant.equals("rebuild")) {
            new AnalyticsRebuild(redis.factory, store, log, 1000, Clock.systemUTC()).run();
        } else {
            consume(store, variant.equals("analytics"));
        }
        long nanos = System.nanoTime() - start;
        double jvmMicros = (os.getProcessCpuTime() - cpu) / 1000.0;
        double cpuMicros = jvmMicros + (redis.cpuSeconds() - redisCpu) * 1e6;
        // the rebuild's own log reads (XRANGE pages of 1000) are not told apart from the scripts' XRANGEs in commandstats
        long pages = variant.equals("rebuild") ? events / 1000 + 1 : 0;
        Run run = new Run(events / seconds(nanos), (roundTrips() - trips + pages) / (double) events, cpuMicros / events,
                jvmMicros / events);
        if (COMMANDS) {
            printCommands(commandsBefore, commandStats());
        }
        try (RedisConnection connection = redis.factory.getConnection()) {
            List<byte[]> keys = new ArrayList<>();
            connection.keyCommands().scan(org.springframework.data.redis.core.ScanOptions.scanOptions()
                    .match(namespace + ":*").count(10_000).build()).forEachRemaining(keys::add);
            for (int i = 0; i < keys.size(); i += 10_000) {
                connection.keyCommands().unlink(keys.subList(i, Math.min(keys.size(), i + 10_000)).toArray(new byte[0][]));
            }
        }
        return run;
    }

    // one group consumer reading the whole log in batches, acknowledging each after it was (optionally) counted
    private void consume(AnalyticsStore store, boolean count) {
        byte[] key = log.getBytes(StandardCharsets.UTF_8);
        String group = "bench-" + UUID.randomUUID();
        try (RedisConnection connection = redis.factory.getConnection()) {
            connection.streamCommands().xGroupCreate(key, group, ReadOffset.from("0"), false);
            int read = 0;
            while (read < events) {
                List<ByteRecord> batch = connection.streamCommands().xReadGroup(Consumer.from(group, "c"),
                        StreamReadOptions.empty().count(COUNT), StreamOffset.create(key, ReadOffset.lastConsumed()));
                if (batch == null || batch.isEmpty()) {
                    break;
                }
                if (count) {
                    List<LogEntry> entries = new ArrayList<>(batch.size());
                    for (ByteRecord record : batch) {
                        Map<String, String> fields = new LinkedHashMap<>();
                        record.getValue().forEach((k, v) -> fields.put(new String(k, StandardCharsets.UTF_8),
                                new String(v, StandardCharsets.UTF_8)));
                        entries.add(new LogEntry(record.getId().getValue(), fields));
                    }
                    store.count(entries);
                }
                connection.streamCommands().xAck(key, group, batch.stream().map(ByteRecord::getId).toArray(RecordId[]::new));
                read += batch.size();
            }
            connection.streamCommands().xGroupDestroy(key, group);
        }
    }

    // calls and microseconds per command since the server started (INFO commandstats), scripts' own commands included
    private Map<String, long[]> commandStats() {
        Map<String, long[]> stats = new java.util.TreeMap<>();
        redis.info("commandstats").forEach((key, value) -> {
            String name = key.toString();
            String text = value.toString();
            if (name.startsWith("cmdstat_")) {
                stats.put(name.substring("cmdstat_".length()), new long[] {field(text, "calls="), field(text, "usec=")});
            }
        });
        return stats;
    }

    private static long field(String stats, String name) {
        int start = stats.indexOf(name) + name.length();
        return Long.parseLong(stats.substring(start, stats.indexOf(',', start)));
    }

    private void printCommands(Map<String, long[]> before, Map<String, long[]> after) {
        StringBuilder line = new StringBuilder("         per event (calls / µs in Redis):");
        after.forEach((command, stats) -> {
            long[] was = before.getOrDefault(command, new long[2]);
            long calls = stats[0] - was[0];
            if (calls > 0 && !command.equals("info")) {
                line.append(String.format(Locale.ROOT, " %s %.3f/%.2f", command, calls / (double) events,
                        (stats[1] - was[1]) / (double) events));
            }
        });
        System.out.println(line);
    }

    private long roundTrips() {
        Map<String, Long> calls = redis.commandCalls();
        return ROUND_TRIPS.stream().mapToLong(c -> calls.getOrDefault(c, 0L)).sum();
    }
}
