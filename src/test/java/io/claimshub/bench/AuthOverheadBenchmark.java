package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.intList;
import static io.claimshub.bench.BenchmarkSupport.latencyHistogram;
import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.millis;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import io.claimshub.bench.BenchmarkSupport.BenchHub;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.testsupport.TestFiles;
import io.claimshub.testsupport.TestHub;
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
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * What authentication costs on {@code POST /api/claims}: two hubs of the same build on one Redis, one with
 * {@code hub.api.authentication=required} (API key in {@code X-API-Key}: hash, cache, roles, rate limit, caller
 * header, access audit record) and one with {@code off}, measured in alternating rounds of the same run, closed loop.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.AuthOverheadBenchmark}.
 * Settings: {@code bench.users} (1,4), {@code bench.seconds} (8), {@code bench.rounds} (3).
 */
public final class AuthOverheadBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private record Run(double requestsPerSecond, Histogram latencyMicros, long failures) {
    }

    public static void main(String[] args) throws Exception {
        guardWorkPerRequest();
        if (Boolean.getBoolean("bench.guardOnly")) {
            return;
        }
        int[] users = intList("bench.users", "1,4");
        int runSeconds = Integer.getInteger("bench.seconds", 8);
        int rounds = Integer.getInteger("bench.rounds", 3);
        quietLogging();
        Path roster = Path.of(TestFiles.testResource("/rosters/nobody-eligible.yaml"));
        try (BenchRedis redis = BenchRedis.start();
             BenchHub on = new BenchHub(redis, roster, Map.of("hub.api.authentication", "required",
                     "hub.api.rate-limit.per-second", "1000000", "hub.api.rate-limit.burst", "1000000"));
             BenchHub off = new BenchHub(redis, roster, Map.of("hub.api.authentication", "off"))) {
            quietLogging();
            printMachine("Authentication overhead (POST /api/claims, auth required vs off)", redis,
                    "hubs        two, same build and Redis; roster nobody-eligible.yaml; on " + on.baseUrl + ", off "
                            + off.baseUrl,
                    "plan        warm-up 8 s each, then " + rounds + " round(s) of " + runSeconds + " s per mode and user count "
                            + java.util.Arrays.toString(users) + ", modes alternating, closed loop, HTTP/1.1 keep-alive");
            int most = java.util.Arrays.stream(users).max().orElse(1);
            ExecutorService pool = Executors.newFixedThreadPool(most);
            Map<String, List<Run>> results = new LinkedHashMap<>();
            try {
                for (BenchHub hub : List.of(on, off)) {
                    measure(pool, hub.baseUrl, most, 8);
                    BenchmarkSupport.awaitConsumersCaughtUp(redis, hub.stream);
                }
                for (int round = 1; round <= rounds; round++) {
                    for (int u : users) {
                        for (BenchHub hub : round % 2 == 1 ? List.of(on, off) : List.of(off, on)) {
                            String mode = hub == on ? "on " : "off";
                            Run run = measure(pool, hub.baseUrl, u, runSeconds);
                            System.out.printf(Locale.ROOT, "round %d auth %s users %-3d %,8.0f requests/s  %s  failures %d  load %s%n",
                                    round, mode, u, run.requestsPerSecond(), BenchmarkSupport.percentiles(run.latencyMicros()),
                                    run.failures(), loadAverage());
                            BenchmarkSupport.awaitConsumersCaughtUp(redis, hub.stream);
                            results.computeIfAbsent(u + " " + mode, k -> new ArrayList<>()).add(run);
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf(Locale.ROOT, "%nmedian of %d rounds of %d s%n", rounds, runSeconds);
            System.out.printf(Locale.ROOT, "%-6s %-5s %10s %9s %9s%n", "users", "auth", "requests/s", "p50 ms", "p99 ms");
            results.forEach((key, runs) -> System.out.printf(Locale.ROOT, "%-6s %-5s %,10.0f %9.2f %9.2f%n",
                    key.split(" ")[0], key.split(" ")[1], median(runs, Run::requestsPerSecond),
                    median(runs, r -> millis(r.latencyMicros(), 50)), median(runs, r -> millis(r.latencyMicros(), 99))));
            for (int u : users) {
                List<Run> a = results.get(u + " on ");
                List<Run> b = results.get(u + " off");
                System.out.printf(Locale.ROOT, "users %d: throughput with auth %.1f %% of without; p99 %+.2f ms%n", u,
                        100 * median(a, Run::requestsPerSecond) / median(b, Run::requestsPerSecond),
                        median(a, r -> millis(r.latencyMicros(), 99)) - median(b, r -> millis(r.latencyMicros(), 99)));
            }
        }
    }

    /**
     * The CPU the guard's own steps take per request on one thread, apart from HTTP and Redis: the key's SHA-256,
     * the cached lookup, the policy row, the rate limit, the caller header written and read back, the audit record
     * built. Medians of 5 runs of 200,000 (after 2 warm-up runs); CPU time of this thread, so less sensitive to a
     * loaded host than the rates.
     */
    private static void guardWorkPerRequest() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, io.claimshub.security.Caller> cache = new java.util.concurrent.ConcurrentHashMap<>();
        io.claimshub.security.Caller bootstrap = new io.claimshub.security.Caller("key:bootstrap",
                io.claimshub.security.Role.all(), null);
        cache.put(io.claimshub.security.ApiKeys.hash(TestHub.API_KEY), bootstrap);
        io.claimshub.security.RateLimiter limiter = new io.claimshub.security.RateLimiter(1e9, 1e9, System::nanoTime);
        double[] nanos = new double[7];
        long sink = 0;
        for (int run = 0; run < nanos.length; run++) {
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < 200_000; i++) {
                io.claimshub.security.Caller caller = cache.get(io.claimshub.security.ApiKeys.hash(TestHub.API_KEY));
                var rule = io.claimshub.security.AccessPolicy.api("POST", "/api/claims").orElseThrow();
                sink += rule.allows(caller) ? 1 : 0;
                sink += limiter.acquire(caller.subject());
                String header = caller.toHeader();
                sink += io.claimshub.security.Caller.fromHeader(header).roles().size();
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("at", java.time.Instant.now().toString());
                entry.put("subject", caller.subject());
                entry.put("roles", caller.roleNames());
                entry.put("method", "POST");
                entry.put("path", "/api/claims");
                entry.put("status", "202");
                sink += entry.size();
            }
            nanos[run] = (threads.getCurrentThreadCpuTime() - cpu) / 200_000.0;
        }
        double[] measured = java.util.Arrays.copyOfRange(nanos, 2, nanos.length);
        System.out.printf(Locale.ROOT, "guard work per request (API key, cached): %.1f µs CPU (median of 5 runs of 200,000; "
                + "runs %s µs)  [%d]%n", BenchmarkSupport.median(measured) / 1000,
                java.util.Arrays.stream(measured).mapToObj(n -> String.format(Locale.ROOT, "%.1f", n / 1000)).toList(),
                sink % 7);
    }

    private static Run measure(ExecutorService pool, String baseUrl, int users, int runSeconds) throws Exception {
        System.gc();
        URI claims = URI.create(baseUrl + "/api/claims");
        long start = System.nanoTime();
        long deadline = start + runSeconds * 1_000_000_000L;
        java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
        List<Future<Histogram>> done = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int user = u;
            done.add(pool.submit(() -> {
                Histogram latency = latencyHistogram();
                long n = 0;
                while (System.nanoTime() < deadline) {
                    HttpRequest request = HttpRequest.newBuilder(claims).header("X-API-Key", TestHub.API_KEY)
                            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(RestSubmissionBenchmark.submission(user, n++))).build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
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
        return new Run(latency.getTotalCount() / seconds(System.nanoTime() - start), latency, failures.get());
    }
}
