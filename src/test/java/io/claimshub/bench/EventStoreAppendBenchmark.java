package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.intList;
import static io.claimshub.bench.BenchmarkSupport.latencyHistogram;
import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.millis;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.EventValidator;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.store.AppendResult;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.SubmitOutcome;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Appends per second through {@link ClaimEventStore#append} (the Lua script: claim stream + global log + event-id
 * index in one EVALSHA) and through {@link ClaimCommands#submit} with an idempotency key (reserve + append), from one
 * and from two threads, against a plain XADD of the same fields on the same connection factory (one round trip,
 * no atomicity). Every operation opens a new claim, as a submission does. Latency is per operation; round trips are
 * read from Redis's {@code INFO commandstats}.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.EventStoreAppendBenchmark}.
 * Settings: {@code bench.ops} (20000 per run), {@code bench.rounds} (5), {@code bench.warmupRounds} (1),
 * {@code bench.threads} (1,2); {@code REDIS_URL} selects an external Redis (which is then not flushed between runs).
 */
public final class EventStoreAppendBenchmark {

    static final String SUBMISSION = """
            {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
             "description":"Rear-ended at a traffic light on the ring road","amountClaimed":{"amount":1500.00,"currency":"EUR"},
             "claimant":{"name":"Ada Lovelace","email":"ada@example.com","phone":"+447700900123"},
             "region":"north","priority":"normal"}""";

    private static final String[] KINDS = {"xadd", "append", "submit"};

    private final BenchRedis redis;
    private final StringRedisTemplate template;
    private final ObjectNode data = (ObjectNode) EventJson.parse(SUBMISSION, "data");
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private record Run(double opsPerSecond, Histogram latencyMicros, double evalshaPerOp, double xaddPerOp,
                       double redisCpuMicros, double jvmCpuMicros) {
    }

    private EventStoreAppendBenchmark(BenchRedis redis) {
        this.redis = redis;
        this.template = new StringRedisTemplate(redis.factory);
        this.template.afterPropertiesSet();
    }

    public static void main(String[] args) throws Exception {
        int ops = Integer.getInteger("bench.ops", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        int warmupRounds = Integer.getInteger("bench.warmupRounds", 1);
        int[] threads = intList("bench.threads", "1,2");
        quietLogging();
        try (BenchRedis redis = BenchRedis.start()) {
            new EventStoreAppendBenchmark(redis).run(ops, rounds, warmupRounds, threads);
        }
    }

    private void run(int ops, int rounds, int warmupRounds, int[] threadCounts) throws Exception {
        printMachine("event store appends", redis,
                "plan        " + warmupRounds + " warm-up + " + rounds + " measured round(s), " + ops
                + " operations per run, each a claim.submitted of a new claim (" + SUBMISSION.length() + " bytes of JSON)");
        List<String> variants = new ArrayList<>();
        for (String kind : KINDS) {
            for (int t : threadCounts) {
                variants.add(kind + "-" + t);
            }
        }
        Map<String, List<Run>> results = new LinkedHashMap<>();
        variants.forEach(v -> results.put(v, new ArrayList<>()));
        ExecutorService pool = Executors.newFixedThreadPool(threadCounts.length == 0 ? 1
                : java.util.Arrays.stream(threadCounts).max().getAsInt());
        try {
            for (int round = 1 - warmupRounds; round <= rounds; round++) {
                boolean warmup = round < 1;
                List<String> order = new ArrayList<>(variants);
                if ((round & 1) == 0) {
                    Collections.reverse(order);
                }
                for (String variant : order) {
                    Run run = measure(pool, variant, ops);
                    System.out.printf(Locale.ROOT, "%s round %d  %-9s %,8.0f ops/s  p50 %5.3f p99 %6.3f ms  evalsha/op %.2f"
                                      + " xadd/op %.2f  cpu/op: redis %5.1f us, jvm %5.1f us  load %s%n",
                            warmup ? "warmup" : "      ", round, variant, run.opsPerSecond(), millis(run.latencyMicros(), 50),
                            millis(run.latencyMicros(), 99), run.evalshaPerOp(), run.xaddPerOp(), run.redisCpuMicros(),
                            run.jvmCpuMicros(), loadAverage());
                    if (!warmup) {
                        results.get(variant).add(run);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }

        System.out.printf(Locale.ROOT, "%nmedian of %d rounds, %,d operations each (p50/p99: medians of the rounds' percentiles)%n",
                rounds, ops);
        System.out.printf(Locale.ROOT, "%-9s %10s %11s %9s %9s %11s %9s %12s %10s  %s%n", "variant", "ops/s", "vs xadd-n",
                "p50 ms", "p99 ms", "evalsha/op", "xadd/op", "redis us/op", "jvm us/op", "ops/s of each round");
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            List<Run> runs = e.getValue();
            double rate = median(runs, Run::opsPerSecond);
            String threads = e.getKey().substring(e.getKey().indexOf('-'));
            double baseline = median(results.get("xadd" + threads), Run::opsPerSecond);
            System.out.printf(Locale.ROOT, "%-9s %,10.0f %10.0f%% %9.3f %9.3f %11.2f %9.2f %12.1f %10.1f  %s%n", e.getKey(),
                    rate, 100 * rate / baseline, median(runs, r -> millis(r.latencyMicros(), 50)),
                    median(runs, r -> millis(r.latencyMicros(), 99)), median(runs, Run::evalshaPerOp),
                    median(runs, Run::xaddPerOp), median(runs, Run::redisCpuMicros), median(runs, Run::jvmCpuMicros),
                    runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.opsPerSecond())).toList());
        }
    }

    private Run measure(ExecutorService pool, String variant, int ops) throws Exception {
        String kind = variant.substring(0, variant.indexOf('-'));
        int threads = Integer.parseInt(variant.substring(variant.indexOf('-') + 1));
        String globalLog = "bench:claims:events:" + UUID.randomUUID();
        ClaimEventStore store = new ClaimEventStore(redis.factory, globalLog);
        ClaimCommands commands = new ClaimCommands(store, new ClaimLifecycle(), new EventValidator(), redis.factory,
                Clock.systemUTC());
        // the events are made before the clock starts: what is timed is the store (encoding included), not Jackson
        List<List<EventEnvelope>> perThread = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<EventEnvelope> events = new ArrayList<>(ops / threads);
            for (int i = 0; i < ops / threads; i++) {
                events.add(new EventEnvelope(UUID.randomUUID(), EventType.CLAIM_SUBMITTED.wireName(), ClaimIds.newClaimId(),
                        Instant.now(), data, EventEnvelope.CURRENT_VERSION));
            }
            perThread.add(events);
        }
        System.gc();
        Map<String, Long> callsBefore = redis.commandCalls();
        double redisCpuBefore = redis.cpuSeconds();
        long jvmCpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        List<Future<Histogram>> done = new ArrayList<>();
        for (List<EventEnvelope> events : perThread) {
            Callable<Histogram> worker = () -> {
                Histogram latency = latencyHistogram();
                for (EventEnvelope event : events) {
                    long t0 = System.nanoTime();
                    operate(kind, store, commands, globalLog, event);
                    latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                }
                return latency;
            };
            done.add(pool.submit(worker));
        }
        Histogram latency = latencyHistogram();
        for (Future<Histogram> f : done) {
            latency.add(f.get());
        }
        long elapsed = System.nanoTime() - start;
        long jvmCpu = os.getProcessCpuTime() - jvmCpuBefore;
        double redisCpu = redis.cpuSeconds() - redisCpuBefore;
        Map<String, Long> callsAfter = redis.commandCalls();
        long total = latency.getTotalCount();
        Run run = new Run(total / seconds(elapsed), latency, delta(callsBefore, callsAfter, "evalsha") / (double) total,
                delta(callsBefore, callsAfter, "xadd") / (double) total, redisCpu * 1e6 / total, jvmCpu / 1e3 / total);
        cleanUp(globalLog);
        return run;
    }

    private void operate(String kind, ClaimEventStore store, ClaimCommands commands, String globalLog, EventEnvelope event) {
        switch (kind) {
            case "xadd" -> template.opsForStream().add(
                    StreamRecords.newRecord().in(globalLog).ofMap(StreamEntryCodec.encode(event, 1)));
            case "append" -> {
                if (!(store.append(event, 0) instanceof AppendResult.Appended)) {
                    throw new IllegalStateException("append of a new claim was not appended: " + event.claimId());
                }
            }
            // with an idempotency key, as a REST client that retries sends it: reserve-ids script + append script
            case "submit" -> {
                if (!(commands.submit(data, "bench-" + event.eventId(), null) instanceof SubmitOutcome.Accepted)) {
                    throw new IllegalStateException("submission refused");
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
        return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }

    /** Embedded: empty the server, so memory does not grow round by round. External: delete only the global log. */
    private void cleanUp(String globalLog) {
        try (RedisConnection connection = redis.factory.getConnection()) {
            if (redis.description.startsWith("embedded")) {
                connection.serverCommands().flushDb();
            } else {
                connection.keyCommands().del(globalLog.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }
}
