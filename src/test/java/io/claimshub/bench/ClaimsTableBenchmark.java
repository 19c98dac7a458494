package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.percentiles;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.component.redisstreams.RedisStreamsEntry;
import io.claimshub.integration.ClaimLifecycles;
import io.claimshub.integration.ClaimsTable;
import io.claimshub.integration.ClaimsTableRows;
import io.claimshub.integration.IntegrationBatch;
import io.claimshub.integration.IntegrationBatches;
import io.claimshub.integration.IntegrationKeys;
import io.claimshub.integration.LegacyDatabase;
import io.claimshub.ops.StreamIds;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.testsupport.HubRoutes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.StreamOffset;

/**
 * The integrations group keeping the claims table on PostgreSQL (127.0.0.1:5432, a database of its own) in sync.
 * <ul>
 * <li>{@code replay}: a backlog of about 100,000 events of real lifecycles (ClaimCommands) read by the group's real
 * route (redis-streams consumer, batches of 100, the YAML steps with their camel-sql writes) from a fresh group and
 * empty tables until nothing is left; events/s and rows written/s;</li>
 * <li>{@code baseline}: the same run's rows (every claim_events row and each claim's final row) inserted with bare
 * JDBC batches of 100, one transaction per batch, into empty tables: the database's own ceiling for these rows;</li>
 * <li>{@code lag}: lifecycles (made ahead: events and snapshots, {@code ClaimLifecycles.prepare}) appended at a steady
 * rate while the group runs, each event with its snapshot in one script call; per event, the time from its log entry
 * (the entry id's milliseconds) to the commit of the batch that wrote it.</li>
 * </ul>
 * Only the integrations routes run (no processors, analytics or notifications competing for the CPU). Each replay and
 * lag run reports CPU per event: the JVM's (all of it, JIT and GC included), the group's consumer threads' alone,
 * the Redis server's and this database's PostgreSQL backends'.
 *
 * <p>Not a test: {@code mvn -B -q -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.ClaimsTableBenchmark}.
 * System properties: {@code bench.claims} (18600, about 5.4 events each), {@code bench.rounds} (3),
 * {@code bench.rates} (claims/s of the lag runs, {@code 50,500}; empty for none), {@code bench.lagSeconds} (30),
 * {@code bench.writers} (threads appending the lag runs' lifecycles, 4), {@code bench.batchSize} (the group's
 * {@code hub.integrations.batch-size}; default the hub's).
 */
public final class ClaimsTableBenchmark {

    private static final int BATCH = 100;

    private final BenchRedis redis;
    private final LegacyDatabase db;
    private final String log = "bench:integrations-log:" + UUID.randomUUID();
    private final IntegrationKeys keys = new IntegrationKeys("bench:" + UUID.randomUUID());
    private int events;

    /**
     * A replay or baseline: throughput, and CPU per event of the JVM (the whole process: consumer, routes, JDBC), of
     * the Redis server and of this database's PostgreSQL backends; for the replay, the batches that wrote rows.
     */
    private record Run(double eventsPerSecond, double rowsPerSecond, Cpu cpu, long batches) {
    }

    /**
     * CPU µs per event: JVM (all of it: the group's threads, JIT compiler, GC), the group's consumer threads alone (the
     * steps' own work), Redis, PostgreSQL backends.
     */
    private record Cpu(double jvm, double group, double redis, double postgres) {
        double total() {
            return jvm + redis + postgres;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "CPU µs/event %5.1f (JVM %5.1f of which group threads %5.1f, Redis %4.1f, "
                    + "PostgreSQL %5.1f)", total(), jvm, group, redis, postgres);
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    // CPU of the threads the redis-streams consumer of the group started on this stream (its consumer and read-ahead
    // threads, named after the stream), all since their start
    private static long groupThreadsCpuNanos(String stream) {
        long nanos = 0;
        for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("RedisStreams") && info.getThreadName().contains(stream)) {
                nanos += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return nanos;
    }

    /** The CPU counters at one moment: JVM process, Redis server, this database's backends (pid to ticks). */
    private record CpuMark(long jvmNanos, double redisSeconds, Map<Integer, Long> backendTicks) {
    }

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private CpuMark cpuMark() throws Exception {
        Map<Integer, Long> ticks = new LinkedHashMap<>();
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")) {
            while (result.next()) {
                int pid = result.getInt(1);
                long t = backendTicks(pid);
                if (t >= 0) {
                    ticks.put(pid, t);
                }
            }
        }
        return new CpuMark(os.getProcessCpuTime(), redis.cpuSeconds(), ticks);
    }

    // utime + stime of a PostgreSQL backend (same machine), in clock ticks; -1 if it cannot be read
    private static long backendTicks(int pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (Exception e) {
            return -1;
        }
    }

    // backends that were there at the start count from their start figure, new ones from zero (clock ticks of 10 ms)
    private Cpu cpuSince(CpuMark start, long groupNanos, long perEvents) throws Exception {
        CpuMark end = cpuMark();
        long ticks = 0;
        for (Map.Entry<Integer, Long> backend : end.backendTicks().entrySet()) {
            ticks += backend.getValue() - start.backendTicks().getOrDefault(backend.getKey(), 0L);
        }
        return new Cpu((end.jvmNanos() - start.jvmNanos()) / 1e3 / perEvents, groupNanos / 1e3 / perEvents,
                (end.redisSeconds() - start.redisSeconds()) * 1e6 / perEvents, ticks * 1e4 / perEvents);
    }

    // batches that wrote rows: the count of the claims table's write timer
    private static long batchesWritten(CamelContext context) {
        io.micrometer.core.instrument.Timer timer = context.getComponent("micrometer",
                org.apache.camel.component.micrometer.MicrometerComponent.class).getMetricsRegistry()
                .find(ClaimsTable.WRITE_TIMER).timer();
        return timer == null ? 0 : timer.count();
    }

    private ClaimsTableBenchmark(BenchRedis redis, LegacyDatabase db) {
        this.redis = redis;
        this.db = db;
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.zaxxer.hikari"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        try (BenchRedis redis = BenchRedis.start(); LegacyDatabase db = LegacyDatabase.postgres()) {
            new ClaimsTableBenchmark(redis, db).run(Integer.getInteger("bench.claims", 18_600),
                    Integer.getInteger("bench.rounds", 3), BenchmarkSupport.intList("bench.rates", "50,500"),
                    Integer.getInteger("bench.lagSeconds", 30), Integer.getInteger("bench.writers", 4));
        }
    }

    private void run(int claims, int rounds, int[] rates, int lagSeconds, int writers) throws Exception {
        String pg;
        try (Connection connection = db.dataSource().getConnection()) {
            pg = connection.getMetaData().getDatabaseProductVersion();
        }
        printMachine("claims table sync", redis, "postgresql  " + pg + " (127.0.0.1:5432)",
                "plan        " + rounds + " round(s) of replay and baseline, then lag at " + java.util.Arrays.toString(rates)
                        + " claims/s for " + lagSeconds + " s each, " + writers + " writer threads",
                "batch size  " + System.getProperty("bench.batchSize", "the hub's default (hub.integrations.batch-size)"));
        long start = System.nanoTime();
        new ClaimLifecycles(redis.factory, log).make(claims, 1, 4);
        List<RedisStreamsEntry> entries = readLog();
        events = entries.size();
        System.out.printf(Locale.ROOT, "preloaded %,d events of %,d claims in %.1f s%n%n", events, claims,
                seconds(System.nanoTime() - start));
        new ClaimsTable(db.dataSource(), db.url()).ensureSchema();
        Rows rows = rows(entries);
        List<Run> replays = new ArrayList<>();
        List<Run> baselines = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Run replay = replay();
            System.out.printf(Locale.ROOT, "round %d replay   %,8.0f events/s  %,8.0f rows/s  %s  %,d batches "
                    + "(%.1f events each)  load %s%n", round, replay.eventsPerSecond(), replay.rowsPerSecond(),
                    replay.cpu(), replay.batches(), events / (double) replay.batches(), BenchmarkSupport.loadAverage());
            Run baseline = baseline(rows);
            System.out.printf(Locale.ROOT, "round %d baseline %,8.0f events/s  %,8.0f rows/s  CPU µs/event %5.1f (JVM %5.1f, "
                    + "PostgreSQL %5.1f)  load %s%n", round, baseline.eventsPerSecond(), baseline.rowsPerSecond(),
                    baseline.cpu().total(), baseline.cpu().jvm(), baseline.cpu().postgres(), BenchmarkSupport.loadAverage());
            replays.add(replay);
            baselines.add(baseline);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "medians   replay %,.0f events/s (%,.0f rows/s), baseline %,.0f events/s "
                + "(%,.0f rows/s): replay/baseline %.2f%n", median(replays, Run::eventsPerSecond),
                median(replays, Run::rowsPerSecond), median(baselines, Run::eventsPerSecond),
                median(baselines, Run::rowsPerSecond),
                median(replays, Run::eventsPerSecond) / median(baselines, Run::eventsPerSecond));
        System.out.printf(Locale.ROOT, "          CPU µs/event replay %.1f (JVM %.1f, group threads %.1f, Redis %.1f, "
                + "PostgreSQL %.1f), baseline %.1f (JVM %.1f, PostgreSQL %.1f)%n%n", median(replays, r -> r.cpu().total()),
                median(replays, r -> r.cpu().jvm()), median(replays, r -> r.cpu().group()),
                median(replays, r -> r.cpu().redis()),
                median(replays, r -> r.cpu().postgres()), median(baselines, r -> r.cpu().total()),
                median(baselines, r -> r.cpu().jvm()), median(baselines, r -> r.cpu().postgres()));
        for (int rate : rates) {
            lag(rate, lagSeconds, writers);
        }
    }

    private List<RedisStreamsEntry> readLog() {
        List<RedisStreamsEntry> entries = new ArrayList<>();
        byte[] key = log.getBytes(StandardCharsets.UTF_8);
        try (RedisConnection connection = redis.factory.getConnection()) {
            for (ByteRecord record : connection.streamCommands().xRange(key,
                    org.springframework.data.domain.Range.unbounded())) {
                Map<String, String> fields = new LinkedHashMap<>();
                record.getValue().forEach((k, v) -> fields.put(new String(k, StandardCharsets.UTF_8),
                        new String(v, StandardCharsets.UTF_8)));
                entries.add(new RedisStreamsEntry(record.getId().getValue(), fields, 1));
            }
        }
        return entries;
    }

    private CamelContext context(String stream) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                "hub.events.stream", stream,
                "hub.consumer.name", "bench",
                "hub.consumer.block", "200",
                "hub.claims-table.jdbc-url", db.url()));
        if (System.getProperty("bench.batchSize") != null) {
            settings.put("hub.integrations.batch-size", System.getProperty("bench.batchSize"));
        }
        CamelContext context = HubRoutes.context(settings);
        context.getRegistry().bind("redisConnectionFactory", redis.factory);
        context.getRegistry().bind("integrationBatches", new IntegrationBatches(redis.factory, keys, new ClaimLifecycle()));
        context.getRegistry().bind("claimsDataSource", db.dataSource());
        context.getRegistry().bind("claimsTable", new ClaimsTable(db.dataSource(), db.url()));
        return context;
    }

    private static final List<String> ROUTES = List.of("configuration/batch-retry", "templates/consumer-group",
            "integrations/integrations");

    // the group from the log's start, on empty tables, until it has acknowledged every entry
    private Run replay() throws Exception {
        reset();
        CamelContext context = context(log);
        CpuMark cpu = cpuMark();
        long start = System.nanoTime();
        HubRoutes.start(context, ROUTES);
        awaitCaughtUp(log);
        long nanos = System.nanoTime() - start;
        Cpu used = cpuSince(cpu, groupThreadsCpuNanos(log), events);
        long batches = batchesWritten(context);
        context.stop();
        long rows = count("claims") + count("claim_events");
        return new Run(events / seconds(nanos), rows / seconds(nanos), used, batches);
    }

    private void awaitCaughtUp(String stream) {
        byte[] key = stream.getBytes(StandardCharsets.UTF_8);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(30))
                .pollInterval(java.time.Duration.ofMillis(20)).until(() -> {
                    try (RedisConnection connection = redis.factory.getConnection()) {
                        String last = connection.streamCommands().xInfo(key).lastGeneratedId();
                        return connection.streamCommands().xInfoGroups(key).stream()
                                .anyMatch(g -> g.groupName().equals("integrations")
                                        && g.lastDeliveredId().equals(last) && g.pendingCount() == 0);
                    }
                });
    }

    private void reset() throws Exception {
        try (RedisConnection connection = redis.factory.getConnection()) {
            byte[] key = log.getBytes(StandardCharsets.UTF_8);
            if (connection.streamCommands().xInfoGroups(key).stream().anyMatch(g -> g.groupName().equals("integrations"))) {
                connection.streamCommands().xGroupDestroy(key, "integrations");
            }
            connection.keyCommands().del(keys.policyChecks().getBytes(StandardCharsets.UTF_8),
                    keys.payments().getBytes(StandardCharsets.UTF_8));
        }
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE claims, claim_events");
        }
    }

    private long count(String table) throws Exception {
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    private record Rows(List<Map<String, Object>> events, List<Map<String, Object>> claims) {
    }

    // every event row and each claim's last row, computed by the sync's own code (not timed)
    private Rows rows(List<RedisStreamsEntry> entries) {
        IntegrationBatches batches = new IntegrationBatches(redis.factory, keys, new ClaimLifecycle());
        List<Map<String, Object>> eventRows = new ArrayList<>();
        Map<Object, Map<String, Object>> claimRows = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i += BATCH) {
            IntegrationBatch batch = batches.read(entries.subList(i, Math.min(entries.size(), i + BATCH)));
            eventRows.addAll(batch.eventRows());
            batch.claimRows().forEach(row -> claimRows.put(row.get("claim_id"), row));
        }
        return new Rows(eventRows, new ArrayList<>(claimRows.values()));
    }

    // bare JDBC: plain INSERTs in batches of 100, a transaction each
    private Run baseline(Rows rows) throws Exception {
        reset();
        CpuMark cpu = cpuMark();
        long start = System.nanoTime();
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            insert(connection, "claim_events", rows.events());
            insert(connection, "claims", rows.claims());
            connection.setAutoCommit(true);
        }
        long nanos = System.nanoTime() - start;
        Cpu used = cpuSince(cpu, 0, events);
        long written = rows.events().size() + rows.claims().size();
        return new Run(events / seconds(nanos), written / seconds(nanos), used, 0);
    }

    private static void insert(Connection connection, String table, List<Map<String, Object>> rows) throws Exception {
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < rows.size(); i += BATCH) {
                for (Map<String, Object> row : rows.subList(i, Math.min(rows.size(), i + BATCH))) {
                    for (int c = 0; c < columns.size(); c++) {
                        statement.setObject(c + 1, row.get(columns.get(c)));
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
                connection.commit();
            }
        }
    }

    // lifecycles at a steady rate into a new log while the group runs; lag of each event to its batch's commit. The
    // lifecycles are made ahead (ClaimLifecycles.prepare: events and snapshots folded by the hub's lifecycle) and only
    // appended during the run, each event with its snapshot in one script call as the commands append it, so the
    // writer (in this JVM, on the same CPUs) can reach rates the full commands could not on a small machine
    private void lag(int claimsPerSecond, int durationSeconds, int writerThreads) throws Exception {
        String stream = "bench:integrations-lag:" + UUID.randomUUID();
        int planned = claimsPerSecond * durationSeconds;
        Random random = new Random(claimsPerSecond);
        java.util.concurrent.ConcurrentLinkedQueue<List<ClaimLifecycles.PreparedEvent>> prepared =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < planned; i++) {
            prepared.add(ClaimLifecycles.prepare(new Random(random.nextLong())));
        }
        ClaimEventStore store = new ClaimEventStore(redis.factory, stream);
        Histogram lag = BenchmarkSupport.latencyHistogram();
        CamelContext context = context(stream);
        HubRoutes.start(context, ROUTES);
        // the advised steps route is restarted with the two recording steps
        AdviceWith.adviceWith(context, "integrations-steps", route -> {
            route.weaveAddFirst().process(exchange -> exchange.setProperty("benchBatch", exchange.getMessage().getBody()));
            route.weaveAddLast().process(exchange -> {
                long now = System.currentTimeMillis();
                List<?> batch = exchange.getProperty("benchBatch", List.class);
                synchronized (lag) {
                    for (Object entry : batch) {
                        lag.recordValue(Math.max(1, (now - StreamIds.millis(((RedisStreamsEntry) entry).id())) * 1000));
                    }
                }
            });
        });
        ExecutorService writers = Executors.newFixedThreadPool(writerThreads);
        java.util.concurrent.ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        AtomicLong made = new AtomicLong();
        AtomicLong behind = new AtomicLong();
        AtomicLong appended = new AtomicLong();
        long periodMicros = 1_000_000L / claimsPerSecond;
        CpuMark cpu = cpuMark();
        long start = System.nanoTime();
        pacer.scheduleAtFixedRate(() -> {
            if (made.get() - done.get() > 4L * claimsPerSecond) {
                behind.incrementAndGet();
                return;
            }
            List<ClaimLifecycles.PreparedEvent> lifecycle = prepared.poll();
            if (lifecycle == null) {
                return;
            }
            made.incrementAndGet();
            writers.submit(() -> {
                ClaimLifecycles.append(store, lifecycle);
                appended.addAndGet(lifecycle.size());
                done.incrementAndGet();
            });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        Thread.sleep(durationSeconds * 1000L);
        pacer.shutdownNow();
        writers.shutdown();
        writers.awaitTermination(60, TimeUnit.SECONDS);
        double achieved = done.get() / seconds(System.nanoTime() - start);
        awaitCaughtUp(stream);
        Cpu used = cpuSince(cpu, groupThreadsCpuNanos(stream), appended.get());
        context.stop();
        System.out.printf(Locale.ROOT, "lag at %4d claims/s (achieved %5.1f claims/s, %,d events; %d skipped ticks)  "
                + "%s  group threads %.1f µs/event, PostgreSQL %.1f µs/event  load %s%n", claimsPerSecond, achieved,
                lag.getTotalCount(), behind.get(), percentiles(lag), used.group(), used.postgres(),
                BenchmarkSupport.loadAverage());
        try (RedisConnection connection = redis.factory.getConnection()) {
            connection.keyCommands().del(stream.getBytes(StandardCharsets.UTF_8));
        }
        done.set(0);
    }

    private final AtomicLong done = new AtomicLong();
}
