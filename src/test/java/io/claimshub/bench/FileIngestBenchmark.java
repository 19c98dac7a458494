package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;
import static org.awaitility.Awaitility.await;

import io.claimshub.bench.BenchmarkSupport.BenchHub;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.EventValidator;
import io.claimshub.ingest.ClaimFileIngester;
import io.claimshub.ingest.FileIngestResult;
import io.claimshub.ingest.IngestedSubmissions;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.testsupport.TestFiles;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import io.claimshub.testsupport.TestHub;

/**
 * Claims per second through four doors, in the same run, on the same Redis: a JSON Lines file of submissions dropped
 * (renamed) into the inbox of the real hub, timed until the hub has filed it under {@code done/}; the same through
 * {@link ClaimFileIngester} alone (no route, no consumer groups); {@code POST
 * /api/claims} from a few concurrent clients; and a bare pipelined {@code XADD} of the same lines to a stream (no
 * validation, no claim streams, no idempotency: the ceiling). The hub runs in this JVM, so its heap is this JVM's: it
 * is sampled during the file run, and measured after a GC before and after it (flat: a file is never held whole).
 * The roster names nobody eligible, so the hub's consumer only snapshots and queues the claims while it catches up.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.FileIngestBenchmark}.
 * Settings: {@code bench.lines} (100000 per file), {@code bench.rounds} (3), {@code bench.restClaims} (10000 per
 * round), {@code bench.restClients} (4), {@code bench.chunkLines} (the hub's {@code hub.ingest.chunk-lines}, 500).
 */
public final class FileIngestBenchmark {

    // the hub files a file once it has been quiet this long after it was read: part of every file run's time
    private static final String QUIET_MILLIS = "200";

    /** One door's run; CPU in µs per claim, of this JVM (hub and load generator) and of Redis. */
    private record Run(String door, long claims, double seconds, double jvmCpuMicros, double redisCpuMicros, String note) {
        double perSecond() {
            return claims / seconds;
        }
    }

    /** CPU seconds used so far by this JVM, by its consumer-group threads (part of the JVM's), and by Redis. */
    private record Cpu(double jvm, double consumers, double redis) {
    }

    private Cpu cpu() {
        double consumers = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().contains("RedisStreams[")) {
                consumers += Math.max(0, threads.getThreadCpuTime(thread.getThreadId())) / 1e9;
            }
        }
        return new Cpu(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9, consumers, redis.cpuSeconds());
    }

    private Run run(String door, long claims, long elapsedNanos, Cpu before, String note) {
        Cpu after = cpu();
        return new Run(door, claims, seconds(elapsedNanos), (after.jvm() - before.jvm()) * 1e6 / claims,
                (after.redis() - before.redis()) * 1e6 / claims, String.format(Locale.ROOT,
                "(consumer groups' share of jvm %.0f µs)  ", (after.consumers() - before.consumers()) * 1e6 / claims) + note);
    }

    private final BenchRedis redis;
    private final BenchHub hub;
    private final Path inbox;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private final int chunkLines;

    private FileIngestBenchmark(BenchRedis redis, BenchHub hub, Path inbox, int chunkLines) {
        this.chunkLines = chunkLines;
        this.redis = redis;
        this.hub = hub;
        this.inbox = inbox;
    }

    public static void main(String[] args) throws Exception {
        int lines = Integer.getInteger("bench.lines", 100_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int restClaims = Integer.getInteger("bench.restClaims", 10_000);
        int restClients = Integer.getInteger("bench.restClients", 4);
        String chunkLines = System.getProperty("bench.chunkLines", "500");
        quietLogging();
        Path inbox = Files.createTempDirectory("claimshub-bench-inbox");
        Map<String, String> settings = Map.of("hub.ingest.dir", inbox.toString(), "hub.ingest.poll-delay", "100",
                "hub.ingest.read-lock-check-interval", "100", "hub.ingest.quiet-period", QUIET_MILLIS,
                "hub.ingest.chunk-lines", chunkLines);
        try (BenchRedis redis = BenchRedis.start();
             BenchHub hub = new BenchHub(redis, Path.of(TestFiles.testResource("/rosters/nobody-eligible.yaml")), settings)) {
            quietLogging();
            printMachine("File ingress (JSON Lines) vs REST vs bare pipelined XADD", redis,
                    "hub         Camel Main, HubApplication; roster nobody-eligible.yaml; hub.ingest.chunk-lines="
                    + chunkLines + ", poll-delay 100 ms, read-lock-check-interval 100 ms, quiet-period " + QUIET_MILLIS + " ms",
                    "plan        " + rounds + " round(s) of: a " + lines + "-line file (drop -> filed), the same through the"
                    + " ingester alone, " + restClaims
                    + " POSTs from " + restClients + " clients, " + lines + " pipelined XADDs (500 a batch)");
            new FileIngestBenchmark(redis, hub, inbox, Integer.parseInt(chunkLines)).run(lines, rounds, restClaims, restClients);
        }
    }

    private void run(int lines, int rounds, int restClaims, int restClients) throws Exception {
        Map<String, List<Run>> results = new LinkedHashMap<>();
        // warm-up: the JIT and the connection pools, on a smaller file and a few requests
        fileRun(Math.min(lines, 20_000), "warm-up");
        restRun(Math.min(restClaims, 5_000), restClients);
        awaitConsumersCaughtUp();
        for (int round = 1; round <= rounds; round++) {
            for (Run run : List.of(fileRun(lines, "round " + round), ingesterRun(lines), restRun(restClaims, restClients),
                    xaddRun(lines))) {
                System.out.printf(Locale.ROOT, "round %d  %-10s %,8d claims in %6.2f s %,8.0f /s  cpu/claim: jvm %4.0f µs,"
                        + " redis %3.0f µs  %s  load %s%n", round, run.door(), run.claims(), run.seconds(), run.perSecond(),
                        run.jvmCpuMicros(), run.redisCpuMicros(), run.note(), loadAverage());
                results.computeIfAbsent(run.door(), k -> new ArrayList<>()).add(run);
                awaitConsumersCaughtUp();
            }
        }
        double xadd = median(results.get("bare XADD"), Run::perSecond);
        System.out.printf(Locale.ROOT, "%nmedian of %d rounds%n%-10s %9s %8s %12s %14s  %s%n", rounds, "door", "claims/s",
                "of XADD", "jvm µs/claim", "redis µs/claim", "claims/s of each round");
        results.forEach((door, runs) -> System.out.printf(Locale.ROOT, "%-10s %,9.0f %7.1f%% %12.0f %14.0f  %s%n", door,
                median(runs, Run::perSecond), 100 * median(runs, Run::perSecond) / xadd,
                median(runs, Run::jvmCpuMicros), median(runs, Run::redisCpuMicros),
                runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.perSecond())).toList()));
    }

    /** Writes a file of unique submissions beside the inbox, renames it in, and waits until it is filed. */
    private Run fileRun(int lines, String label) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path staged = inbox.resolveSibling(inbox.getFileName() + "-" + run + ".jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                out.write(submission(run, i));
                out.write('\n');
            }
        }
        long fileBytes = Files.size(staged);
        long logBefore = logLength();
        long heapBefore = heapAfterGc();
        AtomicLong peakHeap = new AtomicLong();
        // the heap's peak, sampled every 20 ms while the file is ingested
        java.util.concurrent.ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "heap-sampler");
            thread.setDaemon(true);
            return thread;
        });
        Path done = inbox.resolve("done").resolve(run + ".jsonl");
        Map<String, Long> calls = redis.commandCalls();
        Cpu cpu = cpu();
        long start = System.nanoTime();
        sampler.scheduleAtFixedRate(() -> peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
                0, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
        Files.move(staged, inbox.resolve(run + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(10)).until(() -> Files.exists(done));
        long elapsed = System.nanoTime() - start;
        sampler.shutdownNow();
        sampler.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        long appended = logLength() - logBefore;
        if (appended != lines) {
            throw new IllegalStateException(label + ": " + appended + " claims appended for " + lines + " lines");
        }
        long heapAfter = heapAfterGc();
        String note = String.format(Locale.ROOT, "file %d MB, heap after GC %d -> %d MB, peak %d MB, %s",
                fileBytes >> 20, heapBefore >> 20, heapAfter >> 20, peakHeap.get() >> 20, scriptCalls(calls, lines));
        if (label.equals("warm-up")) {
            System.out.printf(Locale.ROOT, "warm-up  file %,d lines %.2f s  %s%n", lines, seconds(elapsed), note);
        }
        return run("file", lines, elapsed, cpu, note);
    }

    /**
     * The same kind of file through {@link ClaimFileIngester} alone, on the same Redis: no route, no inbox, no
     * consumer groups reading the claims meanwhile (they append to a log no group reads).
     */
    private Run ingesterRun(int lines) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path file = Files.createTempFile("claimshub-bench-" + run, ".jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                out.write(submission(run, i));
                out.write('\n');
            }
        }
        String log = "bench:ingester:" + run;
        ClaimCommands commands = new ClaimCommands(new ClaimEventStore(redis.factory, log), new ClaimLifecycle(),
                new EventValidator(), redis.factory, Clock.systemUTC());
        ClaimFileIngester ingester = new ClaimFileIngester(commands, new IngestedSubmissions(Duration.ofDays(1)), 262_144, chunkLines);
        Map<String, Long> calls = redis.commandCalls();
        Cpu cpu = cpu();
        long start = System.nanoTime();
        FileIngestResult result = ingester.ingest(file, rejection -> { });
        long elapsed = System.nanoTime() - start;
        Run measured = run("ingester", lines, elapsed, cpu, "chunks of " + chunkLines + ", " + scriptCalls(calls, lines));
        if (result.accepted() != lines) {
            throw new IllegalStateException("the ingester accepted " + result + " of " + lines + " lines");
        }
        new StringRedisTemplate(redis.factory).delete(log);
        Files.delete(file);
        return measured;
    }

    /** {@code clients} closed-loop clients POST unique submissions until {@code claims} are accepted. */
    private Run restRun(int claims, int clients) throws Exception {
        URI uri = URI.create(hub.baseUrl + "/api/claims");
        String run = UUID.randomUUID().toString().substring(0, 8);
        AtomicLong next = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Cpu cpu = cpu();
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (long n = next.getAndIncrement(); n < claims; n = next.getAndIncrement()) {
                        HttpRequest request = HttpRequest.newBuilder(uri).header("X-API-Key", TestHub.API_KEY).timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(submission(run, n))).build();
                        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 202) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long elapsed = System.nanoTime() - start;
        return run("REST", claims, elapsed, cpu, clients + " clients, failures " + failures.get());
    }

    /** The same lines as stream entries of one field, {@code XADD}ed 500 to a pipeline: no hub at all. */
    private Run xaddRun(int lines) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        byte[] key = ("bench:xadd:" + run).getBytes(StandardCharsets.UTF_8);
        StringRedisTemplate template = new StringRedisTemplate(redis.factory);
        template.afterPropertiesSet();
        Cpu cpu = cpu();
        long start = System.nanoTime();
        for (int from = 0; from < lines; from += 500) {
            int first = from;
            template.executePipelined((RedisCallback<Object>) connection -> {
                for (int i = first; i < Math.min(first + 500, lines); i++) {
                    connection.execute("XADD", key, "*".getBytes(StandardCharsets.UTF_8),
                            "line".getBytes(StandardCharsets.UTF_8), submission(run, i).getBytes(StandardCharsets.UTF_8));
                }
                return null;
            });
        }
        long elapsed = System.nanoTime() - start;
        Run measured = run("bare XADD", lines, elapsed, cpu, "500 a pipeline");
        template.delete("bench:xadd:" + run);
        return measured;
    }

    /**
     * Script calls (EVALSHA) and commands run inside them or alone, per claim, since {@code before}: the consumer
     * groups' commands included in a file through the hub.
     */
    private String scriptCalls(Map<String, Long> before, long claims) {
        Map<String, Long> after = redis.commandCalls();
        long evalsha = after.getOrDefault("evalsha", 0L) - before.getOrDefault("evalsha", 0L);
        long commands = 0;
        for (Map.Entry<String, Long> command : after.entrySet()) {
            if (!command.getKey().equals("info")) {
                commands += command.getValue() - before.getOrDefault(command.getKey(), 0L);
            }
        }
        return String.format(Locale.ROOT, "EVALSHA/claim %.3f, Redis commands/claim %.1f", (double) evalsha / claims,
                (double) commands / claims);
    }

    private long logLength() {
        try (RedisConnection connection = redis.factory.getConnection()) {
            Long length = connection.streamCommands().xLen(hub.stream.getBytes(StandardCharsets.UTF_8));
            return length == null ? 0 : length;
        }
    }

    private long heapAfterGc() {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private void awaitConsumersCaughtUp() {
        BenchmarkSupport.awaitConsumersCaughtUp(redis, hub.stream);
    }

    /** The sample submission, one line, with a claimant and policy of its own: every line is a new claim. */
    private static String submission(String run, long n) {
        return EventStoreAppendBenchmark.SUBMISSION.replace("\n", "").replace("ada@example.com", "ada-" + run + "-" + n + "@example.com");
    }
}
