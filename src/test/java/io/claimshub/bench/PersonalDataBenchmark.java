package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.latencyHistogram;
import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.millis;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.bench.BenchmarkSupport.BenchHub;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.privacy.MasterKeys;
import io.claimshub.privacy.PersonalData;
import io.claimshub.store.ClaimantPseudonyms;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * The cost of the personal-data encryption (docs/data-protection.md): the same build with {@code hub.security.encryption}
 * on and off, in the same run, hubs booted in ABBA order (off, on, on, off). Per hub: {@code POST /api/claims} by N
 * closed-loop users (every submission a new claimant: a data key created each time, the worst case), and the groups'
 * path (processors with an eligible roster, analytics, notifications to .eml files): the time from a run's start until
 * every group has acknowledged all of it, as entries per second. Then, in-process, the encryption and decryption of
 * one submission.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.PersonalDataBenchmark}.
 * Settings: {@code bench.users} (4), {@code bench.seconds} (6), {@code bench.rounds} (3 per hub), {@code bench.cycles} (2),
 * {@code bench.warmupSeconds} (8 per hub).
 */
public final class PersonalDataBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private record Run(double requestsPerSecond, Histogram latencyMicros, double groupEntriesPerSecond) {
    }

    public static void main(String[] args) throws Exception {
        int users = Integer.getInteger("bench.users", 4);
        int runSeconds = Integer.getInteger("bench.seconds", 6);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int cycles = Integer.getInteger("bench.cycles", 2);
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 8);
        quietLogging();
        Map<String, List<Run>> results = new LinkedHashMap<>();
        try (BenchRedis redis = BenchRedis.start()) {
            printMachine("Personal data encryption on vs off", redis,
                    "hub         Camel Main, defaults, roster config/adjusters.yaml, e-mail to .eml files",
                    "plan        per hub: warm-up, then " + rounds + " runs of " + runSeconds + " s, " + users
                    + " users; hubs in ABBA order, " + cycles + " cycle(s), warm-up " + warmupSeconds + " s each");
            Path outbox = Files.createTempDirectory("claimshub-bench-outbox");
            for (int cycle = 1; cycle <= cycles; cycle++) {
                // ABBA (off, on, on, off, ...): the JIT's warming over the run favours neither side
                for (String mode : cycle % 2 == 1 ? List.of("off", "on") : List.of("on", "off")) {
                    Map<String, String> settings = Map.of("hub.security.encryption", mode,
                            "hub.security.master-key", MasterKeys.newKeyBase64(),
                            "hub.mail.outbox-dir", outbox.resolve(mode).toString(),
                            "hub.sms.outbox-file", outbox.resolve(mode + "-sms.jsonl").toString(),
                            "hub.webhook.outbox-file", outbox.resolve(mode + "-status.jsonl").toString());
                    try (BenchHub hub = new BenchHub(redis, Path.of("config/adjusters.yaml"), settings)) {
                        quietLogging();
                        measure(hub, redis, users, warmupSeconds);
                        awaitCaughtUp(redis, hub.stream);
                        for (int round = 1; round <= rounds; round++) {
                            Run run = measure(hub, redis, users, runSeconds);
                            System.out.printf(Locale.ROOT, "cycle %d encryption %-3s round %d  %,7.0f requests/s  p50 %.2f"
                                            + " ms  p99 %.2f ms  groups %,6.0f entries/s  load %s%n", cycle, mode, round,
                                    run.requestsPerSecond(), millis(run.latencyMicros(), 50),
                                    millis(run.latencyMicros(), 99), run.groupEntriesPerSecond(), loadAverage());
                            results.computeIfAbsent(mode, k -> new ArrayList<>()).add(run);
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nmedians over every run%n%-10s %10s %8s %8s %16s%n", "encryption", "requests/s",
                "p50 ms", "p99 ms", "groups entries/s");
        results.forEach((mode, runs) -> System.out.printf(Locale.ROOT, "%-10s %,10.0f %8.2f %8.2f %,16.0f%n", mode,
                median(runs, Run::requestsPerSecond), median(runs, r -> millis(r.latencyMicros(), 50)),
                median(runs, r -> millis(r.latencyMicros(), 99)), median(runs, Run::groupEntriesPerSecond)));
        inProcess();
    }

    /** POSTs for {@code seconds}, then waits for every group to acknowledge the lot. */
    private static Run measure(BenchHub hub, BenchRedis redis, int users, int seconds) throws Exception {
        URI claims = URI.create(hub.baseUrl + "/api/claims");
        ExecutorService pool = Executors.newFixedThreadPool(users);
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Future<Histogram>> done = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int u = 0; u < users; u++) {
            int user = u;
            done.add(pool.submit(() -> {
                Histogram latency = latencyHistogram();
                long n = 0;
                while (System.nanoTime() < deadline) {
                    HttpRequest request = HttpRequest.newBuilder(claims).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .header("X-API-Key", io.claimshub.testsupport.TestHub.API_KEY)
                            .POST(HttpRequest.BodyPublishers.ofString(EventStoreAppendBenchmark.SUBMISSION
                                    .replace("ada@example.com", "ada-" + run + "-" + user + "-" + n++ + "@example.com")))
                            .build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    if (response.statusCode() == 202) {
                        sent.incrementAndGet();
                    }
                }
                return latency;
            }));
        }
        Histogram latency = latencyHistogram();
        for (Future<Histogram> f : done) {
            latency.add(f.get());
        }
        pool.shutdown();
        double requestSeconds = seconds(System.nanoTime() - start);
        awaitCaughtUp(redis, hub.stream);
        double groupSeconds = seconds(System.nanoTime() - start);
        return new Run(latency.getTotalCount() / requestSeconds, latency, sent.get() / groupSeconds);
    }

    private static void awaitCaughtUp(BenchRedis redis, String stream) {
        byte[] key = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (RedisConnection connection = redis.factory.getConnection()) {
                String last = connection.streamCommands().xInfo(key).lastGeneratedId();
                return connection.streamCommands().xInfoGroups(key).stream()
                        .allMatch(g -> g.lastDeliveredId().equals(last) && g.pendingCount() == 0);
            }
        });
    }

    /** Encrypting one submission (one Redis round trip) and decrypting its snapshot (key cached) in-process. */
    private static void inProcess() throws Exception {
        try (BenchRedis redis = BenchRedis.start()) {
            byte[] master = Base64.getDecoder().decode(MasterKeys.newKeyBase64());
            PersonalData data = new PersonalData(redis.factory, new MasterKeys(master, null),
                    () -> new ClaimantPseudonyms("bench-pseudonym-secret-0123456789abcdef"), Clock.systemUTC(), true);
            ObjectNode submitted = (ObjectNode) EventJson.parse(EventStoreAppendBenchmark.SUBMISSION, "data");
            EventEnvelope event = new EventEnvelope(UUID.randomUUID(), "claim.submitted", "CLM-BENCH001", Instant.now(),
                    submitted, EventEnvelope.CURRENT_VERSION);
            ClaimLifecycle lifecycle = new ClaimLifecycle();
            EventEnvelope sealed = data.protect(event, null);
            ClaimState state = lifecycle.apply(null, sealed, 1);
            int n = 50_000;
            for (int warm = 0; warm < 2; warm++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sealed = data.protect(event, state);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    data.reveal(state);
                }
                long t2 = System.nanoTime();
                if (warm == 1) {
                    System.out.printf(Locale.ROOT, "%nin-process: encrypt a submission (4 fields, with the one Redis round trip that "
                            + "opens its claimant's key and counts the claim open) %.1f µs; decrypt a claim snapshot "
                            + "(key cached) %.1f µs%n", (t1 - t0) / 1000.0 / n, (t2 - t1) / 1000.0 / n);
                }
            }
        }
    }
}
