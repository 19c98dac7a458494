package io.claimshub.bench;

import static org.awaitility.Awaitility.await;

import static io.claimshub.bench.BenchmarkSupport.intList;
import static io.claimshub.bench.BenchmarkSupport.latencyHistogram;
import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.millis;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;
import static org.awaitility.Awaitility.await;

import io.claimshub.bench.BenchmarkSupport.BenchHub;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.testsupport.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

import org.awaitility.core.ConditionTimeoutException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionTimeoutException;
import org.HdrHistogram.Histogram;
import io.claimshub.testsupport.TestHub;

/**
 * {@code POST /api/claims} requests per second and their latency, against the real hub booted through Camel Main on
 * loopback, driven by N closed-loop virtual users (each sends its next submission when the last one was answered).
 * The roster names nobody eligible, so the hub's consumer only snapshots and queues the claims (no assignment work).
 * The load generator, the hub and Redis share the machine's cores. After each run the benchmark waits until the hub's
 * consumer groups have caught up with it (and says how long that took), so every run starts with an idle hub.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.RestSubmissionBenchmark}.
 * Settings: {@code bench.users} (1,4,16), {@code bench.seconds} (8 per run), {@code bench.maxRequests} (200000 per run),
 * {@code bench.rounds} (3), {@code bench.warmupSeconds} (8, at the largest user count).
 */
public final class RestSubmissionBenchmark {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI claims;

    private record Run(double requestsPerSecond, Histogram latencyMicros, long failures) {
    }

    private final BenchRedis redis;
    private final String stream;

    private RestSubmissionBenchmark(String baseUrl, BenchRedis redis, String stream) {
        this.claims = URI.create(baseUrl + "/api/claims");
        this.redis = redis;
        this.stream = stream;
    }

    public static void main(String[] args) throws Exception {
        int[] users = intList("bench.users", "1,4,16");
        int runSeconds = Integer.getInteger("bench.seconds", 8);
        int maxRequests = Integer.getInteger("bench.maxRequests", 200_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 8);
        quietLogging();
        try (BenchRedis redis = BenchRedis.start();
             BenchHub hub = new BenchHub(redis, Path.of(TestFiles.testResource("/rosters/nobody-eligible.yaml")), Map.of())) {
            quietLogging();
            printMachine("REST submissions (POST /api/claims)", redis,
                    "hub         Camel Main, HubApplication, defaults; roster nobody-eligible.yaml; " + hub.baseUrl,
                    "plan        warm-up " + warmupSeconds + " s, then " + rounds + " round(s) of " + runSeconds
                    + " s per user count " + java.util.Arrays.toString(users) + ", closed loop, HTTP/1.1 keep-alive");
            new RestSubmissionBenchmark(hub.baseUrl, redis, hub.stream).run(users, runSeconds, maxRequests, rounds, warmupSeconds);
        }
    }

    private void run(int[] users, int runSeconds, int maxRequests, int rounds, int warmupSeconds) throws Exception {
        int most = java.util.Arrays.stream(users).max().orElse(1);
        ExecutorService pool = Executors.newFixedThreadPool(most);
        Map<Integer, List<Run>> results = new LinkedHashMap<>();
        try {
            Run warm = measure(pool, most, warmupSeconds, maxRequests);
            report("warmup", 0, most, warm);
            awaitConsumersCaughtUp();
            for (int round = 1; round <= rounds; round++) {
                for (int u : users) {
                    Run run = measure(pool, u, runSeconds, maxRequests);
                    report("      ", round, u, run);
                    awaitConsumersCaughtUp();
                    results.computeIfAbsent(u, k -> new ArrayList<>()).add(run);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "%nmedian of %d rounds of %d s (percentiles: medians of the rounds')%n", rounds, runSeconds);
        System.out.printf(Locale.ROOT, "%-6s %10s %9s %9s %9s  %s%n", "users", "requests/s", "p50 ms", "p99 ms", "p99.9 ms",
                "requests/s of each round");
        results.forEach((u, runs) -> System.out.printf(Locale.ROOT, "%-6d %,10.0f %9.2f %9.2f %9.2f  %s%n", u,
                median(runs, Run::requestsPerSecond), median(runs, r -> millis(r.latencyMicros(), 50)),
                median(runs, r -> millis(r.latencyMicros(), 99)), median(runs, r -> millis(r.latencyMicros(), 99.9)),
                runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.requestsPerSecond())).toList()));
    }

    private static void report(String label, int round, int users, Run run) {
        System.out.printf(Locale.ROOT, "%s round %d  users %-3d %,8.0f requests/s  %s  failures %d  load %s%n", label, round,
                users, run.requestsPerSecond(), BenchmarkSupport.percentiles(run.latencyMicros()), run.failures(), loadAverage());
    }

    /**
     * Waits until every consumer group of the hub (processors, analytics, notifications) has read and acknowledged
     * all of the run's submissions, so that the next run does not compete with the hub catching up on this one.
     */
    private void awaitConsumersCaughtUp() {
        long start = System.nanoTime();
        try {
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(50)).until(this::consumersCaughtUp);
            System.out.printf(Locale.ROOT, "        consumers caught up %.1f s after the run%n", seconds(System.nanoTime() - start));
        } catch (ConditionTimeoutException e) {
            System.out.println("        consumers still behind 300 s after the run");
        }
    }

    private boolean consumersCaughtUp() {
        byte[] key = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (org.springframework.data.redis.connection.RedisConnection connection = redis.factory.getConnection()) {
            String last = connection.streamCommands().xInfo(key).lastGeneratedId();
            return connection.streamCommands().xInfoGroups(key).stream()
                    .allMatch(g -> g.lastDeliveredId().equals(last) && g.pendingCount() == 0);
        }
    }

    /** {@code users} virtual users send submissions back to back until the time or the request budget is used up. */
    private Run measure(ExecutorService pool, int users, int runSeconds, int maxRequests) throws Exception {
        System.gc();
        AtomicLong budget = new AtomicLong(maxRequests);
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + runSeconds * 1_000_000_000L;
        List<Future<Histogram>> done = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int user = u;
            done.add(pool.submit(() -> {
                Histogram latency = latencyHistogram();
                long n = 0;
                while (System.nanoTime() < deadline && budget.decrementAndGet() >= 0) {
                    HttpRequest request = HttpRequest.newBuilder(claims).header("X-API-Key", TestHub.API_KEY).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(submission(user, n++))).build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    if (response.statusCode() != 202) {
                        failures.incrementAndGet();
                    }
                }
                return latency;
            }));
        }
        Histogram latency = latencyHistogram();
        for (Future<Histogram> f : done) {
            latency.add(f.get());
        }
        long elapsed = System.nanoTime() - start;
        return new Run(latency.getTotalCount() / seconds(elapsed), latency, failures.get());
    }

    /** The sample submission with a claimant of its own, so the repeat-claimant rule sees no repeats. */
    static String submission(int user, long n) {
        return EventStoreAppendBenchmark.SUBMISSION.replace("ada@example.com", "ada-" + user + "-" + n + "@example.com");
    }
}
