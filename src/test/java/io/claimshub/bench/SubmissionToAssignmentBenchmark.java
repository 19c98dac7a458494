package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.intList;
import static io.claimshub.bench.BenchmarkSupport.latencyHistogram;
import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.millis;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import io.claimshub.bench.BenchmarkSupport.BenchHub;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.store.ClaimKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Claims per second from {@code POST /api/claims} to the claim's snapshot ({@code claim:{id}}) showing
 * {@code assigned}, at fixed open-loop rates: submission i is sent at start + i / rate whatever the hub's answers do,
 * and its latency is counted from that scheduled moment (so a stalled generator or hub cannot hide queueing). One
 * thread watches the outstanding claims: every {@code bench.pollMicros} it reads their snapshots' status in one
 * pipelined round trip, so a latency is late by at most one poll cycle (reported); a claim older than 20 poll
 * cycles is read only every 5 % of its age, so that a backlog is not made worse by the watcher's own reads. Afterwards the claims' own streams
 * give the append time of {@code claim.submitted} and {@code claim.assigned} (entry ids, ms), which splits the latency
 * into stages.
 *
 * <p>The roster is written by the benchmark: four senior adjusters for every claim type and region with
 * {@code maxOpenClaims} 1,000,000, so capacity never runs out. Rules and SLA are the samples in {@code config/}.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.SubmissionToAssignmentBenchmark}.
 * Settings: {@code bench.rates} (100,250,500 claims/s), {@code bench.seconds} (20 per rate), {@code bench.warmupSeconds}
 * (5, at the first rate), {@code bench.pollMicros} (1000); other {@code hub.*} system properties are passed to the hub.
 */
public final class SubmissionToAssignmentBenchmark {

    private static final Pattern CLAIM_ID = Pattern.compile("\"claimId\"\\s*:\\s*\"(CLM-[A-Z0-9]{8})\"");
    private static final byte[] STATUS = "status".getBytes(StandardCharsets.UTF_8);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    // with 2 CPUs the common pool has one thread and CompletableFuture starts a thread per callback instead (seen in
    // a JFR recording: 6,250 threads for 5,000 requests); one thread of our own reads the answers
    private final java.util.concurrent.ExecutorService answers = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "answers");
        t.setDaemon(true);
        return t;
    });
    private final BenchRedis redis;
    private final URI claims;
    private final long pollNanos = Integer.getInteger("bench.pollMicros", 1000) * 1000L;

    /** One submission: when it was due, when it was sent, and (once seen) when its snapshot showed it assigned. */
    private static final class Claim {
        final long dueNanos;
        final long sentMillis;
        volatile String id;
        long seenNanos;
        long seenMillis;
        long nextPollNanos;

        Claim(long dueNanos, long sentMillis) {
            this.dueNanos = dueNanos;
            this.sentMillis = sentMillis;
        }
    }

    private final CamelContext camel;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private SubmissionToAssignmentBenchmark(BenchRedis redis, String baseUrl, CamelContext camel) {
        this.redis = redis;
        this.camel = camel;
        this.claims = URI.create(baseUrl + "/api/claims");
    }

    public static void main(String[] args) throws Exception {
        int[] rates = intList("bench.rates", "100,250,500");
        int runSeconds = Integer.getInteger("bench.seconds", 20);
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 5);
        quietLogging();
        Path roster = Files.createTempFile("bench-roster", ".yaml");
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
        Files.writeString(roster, yaml);
        Map<String, String> hubSettings = new java.util.TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("hub.")) {
                hubSettings.put(k.toString(), v.toString());
            }
        });
        try (BenchRedis redis = BenchRedis.start(); BenchHub hub = new BenchHub(redis, roster, hubSettings)) {
            quietLogging();
            printMachine("submission to assignment (POST /api/claims -> snapshot assigned)", redis,
                    "hub         Camel Main, HubApplication, defaults" + (hubSettings.isEmpty() ? "" : " but " + hubSettings)
                    + "; roster: 4 adjusters, every type/region, maxOpenClaims 1000000; " + hub.baseUrl,
                    "plan        warm-up " + warmupSeconds + " s at " + rates[0] + "/s, then " + runSeconds + " s at each of "
                    + java.util.Arrays.toString(rates) + " claims/s, open loop; snapshot poll every "
                    + Integer.getInteger("bench.pollMicros", 1000) + " us");
            SubmissionToAssignmentBenchmark bench = new SubmissionToAssignmentBenchmark(redis, hub.baseUrl, hub.hub.context());
            bench.run("warmup", rates[0], warmupSeconds);
            for (int rate : rates) {
                bench.run("", rate, runSeconds);
            }
            bench.idle(Integer.getInteger("bench.idleSeconds", 10));
        } finally {
            Files.deleteIfExists(roster);
        }
    }

    private void run(String label, int rate, int runSeconds) throws Exception {
        int total = rate * runSeconds;
        ManagedRouteMBean processors = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute("processors");
        processors.reset(true);
        Map<String, Long> callsBefore = redis.commandCalls();
        long jvmCpuBefore = os.getProcessCpuTime();
        double redisCpuBefore = redis.cpuSeconds();
        Queue<Claim> answered = new ConcurrentLinkedQueue<>();
        List<Claim> all = new ArrayList<>(total);
        AtomicLong failures = new AtomicLong();
        Histogram sendLag = latencyHistogram();
        Histogram pollCycle = latencyHistogram();
        Histogram latency = latencyHistogram();
        Thread watcher = new Thread(() -> watch(answered, total, latency, pollCycle, failures), "snapshot-watcher");
        System.gc();
        long start = System.nanoTime() + 10_000_000L;
        watcher.start();
        for (int i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            sendLag.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
            Claim claim = new Claim(due, System.currentTimeMillis());
            all.add(claim);
            HttpRequest request = HttpRequest.newBuilder(claims).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(RestSubmissionBenchmark.submission(rate, i))).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenCompleteAsync((response, error) -> {
                Matcher m = error == null && response.statusCode() == 202 ? CLAIM_ID.matcher(response.body()) : null;
                if (m != null && m.find()) {
                    claim.id = m.group(1);
                    answered.add(claim);
                } else {
                    failures.incrementAndGet();
                }
            }, answers);
        }
        double sendSeconds = seconds(System.nanoTime() - start);
        watcher.join(60_000);
        watcher.interrupt();
        long jvmCpu = os.getProcessCpuTime() - jvmCpuBefore;
        double redisCpu = redis.cpuSeconds() - redisCpuBefore;
        long assigned = latency.getTotalCount();
        long lastSeen = all.stream().mapToLong(c -> c.seenNanos).max().orElse(start);
        System.out.printf(Locale.ROOT, "%s rate %d/s: sent %d in %.1f s (%.0f/s, send lag p99 %.2f ms), assigned %d, failed %d"
                                       + "  load %s%n", label, rate, total, sendSeconds, total / sendSeconds,
                millis(sendLag, 99), assigned, failures.get(), loadAverage());
        System.out.printf(Locale.ROOT, "   POST -> snapshot assigned: %s   (poll cycle p50 %.2f ms, p99 %.2f ms)%n",
                BenchmarkSupport.percentiles(latency), millis(pollCycle, 50), millis(pollCycle, 99));
        // below the offered rate when the hub falls behind: the last claims are assigned long after the last POST
        System.out.printf(Locale.ROOT, "   assigned rate: %.0f claims/s (first POST to last claim seen assigned)%n",
                assigned / seconds(lastSeen - start));
        // the JVM holds the hub and the load generator; both figures include the watcher's polling
        System.out.printf(Locale.ROOT, "   cpu per claim: jvm (hub + load generator) %.0f us, redis %.0f us%n",
                jvmCpu / 1e3 / total, redisCpu * 1e6 / total);
        stages(all);
        consumerSteps(processors);
        commandsPerClaim(callsBefore, redis.commandCalls(), all.size());
    }

    /**
     * The processors route's own statistics for this rate (Camel JMX, ms granularity): events handled, and the mean
     * and max time per event of the route and of each of its steps (snapshot catch-up, assignment).
     */
    private static void consumerSteps(ManagedRouteMBean route) throws Exception {
        String xml = route.dumpRouteStatsAsXml(false, true);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "   processors route: %d events, mean %d ms, max %d ms, total %.1f s busy;", route.getExchangesCompleted(),
                route.getMeanProcessingTime(), route.getMaxProcessingTime(), route.getTotalProcessingTime() / 1000.0));
        Matcher tag = Pattern.compile("<processorStat [^>]*>").matcher(xml);
        while (tag.find()) {
            String t = tag.group();
            line.append(String.format(Locale.ROOT, " %s mean %s max %s total %.1f s;", attribute(t, "id"),
                    attribute(t, "meanProcessingTime"), attribute(t, "maxProcessingTime"),
                    Long.parseLong(attribute(t, "totalProcessingTime")) / 1000.0));
        }
        System.out.println(line);
    }

    /**
     * What the hub costs with nothing to do, after the rates (JIT done): CPU of this JVM (the idle hub; the load
     * generator and the watcher are stopped) and of Redis, in cores. Measuring an idle period is the point here, so
     * this sleeps rather than waiting for an effect.
     */
    private void idle(int idleSeconds) throws InterruptedException {
        long jvmBefore = os.getProcessCpuTime();
        double redisBefore = redis.cpuSeconds();
        long start = System.nanoTime();
        Thread.sleep(idleSeconds * 1000L);
        double wall = seconds(System.nanoTime() - start);
        System.out.printf(Locale.ROOT, "idle hub for %.0f s: jvm %.2f cores, redis %.2f cores  load %s%n", wall,
                (os.getProcessCpuTime() - jvmBefore) / 1e9 / wall, (redis.cpuSeconds() - redisBefore) / wall, loadAverage());
    }

    /** Until every claim was seen assigned (or failed, or 30 s passed without progress), polls the outstanding ones. */
    private void watch(Queue<Claim> answered, int total, Histogram latency, Histogram pollCycle, AtomicLong failures) {
        java.util.Set<Claim> outstanding = new java.util.LinkedHashSet<>();
        long lastProgress = System.nanoTime();
        try (RedisConnection connection = redis.factory.getConnection()) {
            while (latency.getTotalCount() + failures.get() < total && System.nanoTime() - lastProgress < 30_000_000_000L) {
                long cycleStart = System.nanoTime();
                for (Claim c; (c = answered.poll()) != null; ) {
                    outstanding.add(c);
                }
                List<Claim> due = new ArrayList<>();
                for (Claim c : outstanding) {
                    if (c.nextPollNanos <= cycleStart) {
                        due.add(c);
                    }
                }
                if (!due.isEmpty()) {
                    connection.openPipeline();
                    for (Claim c : due) {
                        connection.hashCommands().hGet(ClaimKeys.snapshot(c.id).getBytes(StandardCharsets.UTF_8), STATUS);
                    }
                    List<Object> statuses = connection.closePipeline();
                    long now = System.nanoTime();
                    long nowMillis = System.currentTimeMillis();
                    Iterator<Claim> it = due.iterator();
                    for (Object status : statuses) {
                        Claim c = it.next();
                        // a claim waiting long is polled less often (every 5 % of its age), so a backlog is not
                        // worsened by the watcher's own reads: the error stays within max(poll cycle, 5 %)
                        c.nextPollNanos = now + Math.max(0, (now - c.dueNanos) / 20 - pollNanos);
                        if (status != null && ClaimStatus.ASSIGNED.wireName().equalsIgnoreCase(
                                new String((byte[]) status, StandardCharsets.UTF_8))) {
                            c.seenNanos = now;
                            c.seenMillis = nowMillis;
                            latency.recordValue(Math.max(1, (now - c.dueNanos) / 1000));
                            outstanding.remove(c);
                            lastProgress = now;
                        }
                    }
                }
                long rest = pollNanos - (System.nanoTime() - cycleStart);
                if (rest > 0) {
                    LockSupport.parkNanos(rest);
                }
                pollCycle.recordValue(Math.max(1, (System.nanoTime() - cycleStart) / 1000));
            }
        }
    }

    /**
     * Where the time went, from the append times Redis stamped into the claim streams' entry ids (ms): send ->
     * claim.submitted appended (HTTP + decide + append), -> claim.assigned appended (consumer reads the submission,
     * snapshot step, assignment step), -> snapshot seen assigned (consumer reads claim.assigned, snapshot step, poll).
     */
    private void stages(List<Claim> all) {
        Histogram ingress = latencyHistogram();
        Histogram toAssigned = latencyHistogram();
        Histogram toSnapshot = latencyHistogram();
        List<Claim> seen = all.stream().filter(c -> c.seenMillis != 0).toList();
        try (RedisConnection connection = redis.factory.getConnection()) {
            for (int from = 0; from < seen.size(); from += 500) {
                List<Claim> batch = seen.subList(from, Math.min(seen.size(), from + 500));
                connection.openPipeline();
                for (Claim c : batch) {
                    connection.execute("XRANGE", ClaimKeys.claimStream(c.id).getBytes(StandardCharsets.UTF_8),
                            "-".getBytes(StandardCharsets.UTF_8), "+".getBytes(StandardCharsets.UTF_8),
                            "COUNT".getBytes(StandardCharsets.UTF_8), "2".getBytes(StandardCharsets.UTF_8));
                }
                List<Object> replies = connection.closePipeline();
                for (int i = 0; i < batch.size(); i++) {
                    List<?> entries = (List<?>) replies.get(i);
                    if (entries.size() < 2) {
                        continue;
                    }
                    long submitted = entryMillis(entries.get(0));
                    long assigned = entryMillis(entries.get(1));
                    Claim c = batch.get(i);
                    // in µs for the histogram; the clocks are ms, so each stage is ±1 ms
                    ingress.recordValue(Math.max(1, (submitted - c.sentMillis) * 1000));
                    toAssigned.recordValue(Math.max(1, (assigned - submitted) * 1000));
                    toSnapshot.recordValue(Math.max(1, (c.seenMillis - assigned) * 1000));
                }
            }
        }
        System.out.printf(Locale.ROOT, "   stages (ms clocks, +-1 ms) p50/p99: send->submitted appended %.0f/%.0f,"
                                       + " ->assigned appended %.0f/%.0f, ->snapshot seen %.0f/%.0f%n",
                millis(ingress, 50), millis(ingress, 99), millis(toAssigned, 50), millis(toAssigned, 99),
                millis(toSnapshot, 50), millis(toSnapshot, 99));
    }

    /**
     * Redis commands per claim during the rate (INFO commandstats; commands inside scripts counted under their own
     * names, so the script calls are the round trips and the rest may run inside them), the benchmark's own polling
     * (HGET status) and the stage read-out (XRANGE, after the figures above) included.
     */
    private static void commandsPerClaim(Map<String, Long> before, Map<String, Long> after, int claims) {
        StringBuilder line = new StringBuilder("   redis commands per claim:");
        long total = 0;
        List<Map.Entry<String, Long>> deltas = new ArrayList<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0 && !e.getKey().equals("info")) {
                deltas.add(Map.entry(e.getKey(), d));
                total += d;
            }
        }
        deltas.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        line.append(String.format(Locale.ROOT, " all %.1f;", total / (double) claims));
        for (Map.Entry<String, Long> e : deltas) {
            line.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue() / (double) claims));
        }
        System.out.println(line);
    }

    private static String attribute(String tag, String name) {
        Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(tag);
        return m.find() ? m.group(1) : "0";
    }

    private static long entryMillis(Object entry) {
        Object id = ((List<?>) entry).get(0);
        String text = id instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : id.toString();
        return Long.parseLong(text.substring(0, text.indexOf('-')));
    }
}
