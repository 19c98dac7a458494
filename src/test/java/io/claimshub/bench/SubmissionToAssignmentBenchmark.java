package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.intList;
import static io.claimshub.bench.BenchmarkSupport.latencyHistogram;
import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.millis;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import io.claimshub.testsupport.TestHub;
import io.claimshub.bench.BenchmarkSupport.BenchHub;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.config.RedisConnectionSettings;
import io.claimshub.store.ClaimKeys;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.spi.VertxThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.springframework.data.redis.connection.RedisConnection;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Claims per second from {@code POST /api/claims} to the claim's snapshot ({@code claim:{id}}) showing
 * {@code assigned}, at fixed open-loop rates: submission i is due at start + i / rate whatever the hub's answers do,
 * and its latency is counted from that due moment (so a stalled generator or hub cannot hide queueing). Afterwards
 * the claims' own streams give the append time of {@code claim.submitted} and {@code claim.assigned} (entry ids, ms),
 * which splits the latency into stages.
 *
 * <p>The hub, Redis and this benchmark share the machine's CPUs, so the benchmark's own apparatus is kept cheap and
 * its CPU is reported apart from the hub's:
 * <ul>
 * <li><b>Generator.</b> The main thread keeps the schedule ({@code LockSupport.parkNanos} until a claim is due; the
 * send lag is how late it hands the claim over) and hands each claim to one Vert.x event loop (a Vertx instance of
 * the benchmark's own with one event-loop thread, {@code bench-vert.x-eventloop-thread-0}), which sends it with
 * Vert.x's HTTP/1.1 client: keep-alive, at most {@code bench.connections} connections (a request waits in the
 * client's queue while all are busy; that wait is in its latency, and the most requests in flight at once are
 * reported). The request bodies are built before the rate starts. A 202 answer's body is only searched for the
 * claim id; any other answer, a connection error or 30 s without an answer counts the claim as failed.
 * <li><b>Watcher.</b> For the rates the benchmark adds {@code K} and {@code h} to Redis's
 * {@code notify-keyspace-events} (keyspace channel, hash commands: the snapshot is written by {@code HSET} in a
 * script) and puts the old value back afterwards. A thread {@code bench-keyspace-subscriber} holds a
 * {@code PSUBSCRIBE __keyspace@<db>__:claim:{*}} (the snapshot keys only: a claim's {@code :events} and
 * {@code :event-ids} keys do not end in a closing brace) and passes each notification's claim id to a thread
 * {@code bench-snapshot-checker}, which reads the {@code status} of every notified outstanding claim (all that
 * arrived since its last read, one pipelined round trip) and records the latency when it is {@code assigned}. A
 * notification for a claim whose id is not known yet (its POST answer not read yet) is kept, and that claim is read
 * as soon as its id arrives. In case a notification is lost, a safety sweep every {@code bench.sweepMillis} reads
 * the outstanding claims unread for that long, the longest unread first and at most {@code bench.sweepReads} of
 * them, so a backlog costs the watcher at most sweepReads / sweepMillis reads a second (1,000 by default); a claim
 * only the sweep catches is late by up to its time unread. Reported: how many were seen by notification and how many
 * by the sweep (and of the latter, how many were notified afterwards, i.e. the sweep's read merely came first), and
 * the watcher's reaction time (notification, or id known if that came later, to the status read showing
 * {@code assigned}).
 * <li><b>CPU.</b> The JVM's CPU per claim is split with {@link ThreadMXBean}: the benchmark's threads (main, the
 * event loop, subscriber, checker; the latter two live for one rate and read their own CPU time as they end) and
 * the rest (the hub, and the JIT compiler and garbage collector, for whomever they work). The Vertx instance's
 * blocked-thread checker is set to check once an hour, so it costs nothing.
 * </ul>
 *
 * <p>The roster is written by the benchmark: four senior adjusters for every claim type and region with
 * {@code maxOpenClaims} 1,000,000, so capacity never runs out. Rules and SLA are the samples in {@code config/}.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.SubmissionToAssignmentBenchmark}.
 * Settings: {@code bench.rates} (100,250,500 claims/s), {@code bench.seconds} (30 per rate), {@code bench.warmupSeconds}
 * (120) at {@code bench.warmupRate} (400/s), {@code bench.connections} (16), {@code bench.sweepMillis} (100), {@code bench.sweepReads}
 * (100), {@code bench.idleSeconds} (10), {@code bench.timeline} (false: true lists every 100-ms window, by send time,
 * whose slowest claim took 50 ms or more, split into stages); other {@code hub.*} system properties are passed to the
 * hub. Each rate
 * (the warm-up too) starts once every consumer group has read and acknowledged the whole log (reported as
 * "drained"), so no rate inherits the backlog of the one before.
 */
public final class SubmissionToAssignmentBenchmark implements AutoCloseable {

    private static final Pattern CLAIM_ID = Pattern.compile("\"claimId\"\\s*:\\s*\"(CLM-[A-Z0-9]{8})\"");
    private static final byte[] STATUS = "status".getBytes(StandardCharsets.UTF_8);
    private static final String NOTIFY = "notify-keyspace-events";
    private static final long NO_PROGRESS_NANOS = 30_000_000_000L;

    private final BenchRedis redis;
    private final String stream;
    private final CamelContext camel;
    private final int connections = Integer.getInteger("bench.connections", 16);
    private final long sweepNanos = Integer.getInteger("bench.sweepMillis", 100) * 1_000_000L;
    private final int sweepReads = Integer.getInteger("bench.sweepReads", 100);
    private final byte[] snapshotPattern;
    private final Vertx vertx;
    private final Context loop;
    private final Thread loopThread;
    private final HttpClient http;
    private final RequestOptions post;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Requests sent and not yet answered, and the most at once in this rate; touched by the event loop only. */
    private int inFlight;
    private volatile int maxInFlight;

    /** One submission: when it was due, when it was sent, and (once seen) when its snapshot showed it assigned. */
    private static final class Claim {
        final long dueNanos;
        final long sentMillis;
        volatile String id;
        // the fields below belong to the checker thread (main reads them after joining it)
        byte[] key;
        long seenNanos;
        long seenMillis;
        /** The stream entries' own times (set by the stage read-out). */
        long submittedMillis;
        long assignedMillis;
        long lastReadNanos;
        /** Queued for the next status read, why, and since when the watcher knew it had to read. */
        boolean queued;
        Reason reason;
        long reactFromNanos;
        /** Seen assigned by the sweep, and a notification came afterwards (so it was not lost, only late). */
        boolean notifiedAfterSweep;

        Claim(long dueNanos, long sentMillis) {
            this.dueNanos = dueNanos;
            this.sentMillis = sentMillis;
        }
    }

    /** Why the watcher reads a claim's status. */
    private enum Reason {
        /** A notification on its snapshot key. */
        NOTICE,
        /** Its id became known after a notification on its snapshot key had arrived. */
        EARLY_NOTICE,
        /** The safety sweep. */
        SWEEP
    }

    /** A keyspace notification on a snapshot key: the claim id and when the subscriber received it. */
    private record Notice(String claimId, long nanos) {
    }

    private SubmissionToAssignmentBenchmark(BenchRedis redis, String baseUrl, CamelContext camel, String stream)
            throws Exception {
        this.redis = redis;
        this.stream = stream;
        this.camel = camel;
        int db = RedisConnectionSettings.parse(redis.url, null, null, Duration.ofSeconds(10), 1).database();
        this.snapshotPattern = ("__keyspace@" + db + "__:claim:{*}").getBytes(StandardCharsets.UTF_8);
        // the hub's Vert.x threads have the default names; ours are named bench-... from birth (a rename later is
        // not seen by JFR). Vert.x 4 takes a thread factory only through its internal builder.
        VertxThreadFactory named = new VertxThreadFactory() {
            @Override
            public VertxThread newVertxThread(Runnable target, String name, boolean worker, long maxExecTime,
                                              TimeUnit maxExecTimeUnit) {
                return new VertxThread(target, "bench-" + name, worker, maxExecTime, maxExecTimeUnit);
            }
        };
        vertx = new io.vertx.core.impl.VertxBuilder(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setBlockedThreadCheckInterval(1)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.HOURS)).threadFactory(named).init().vertx();
        loop = vertx.getOrCreateContext();
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        loop.runOnContext(v -> thread.complete(Thread.currentThread()));
        loopThread = thread.get(10, TimeUnit.SECONDS);
        URI base = URI.create(baseUrl);
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(connections));
        post = new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost()).setPort(base.getPort())
                .setURI("/api/claims").putHeader("Content-Type", "application/json").putHeader("X-API-Key", TestHub.API_KEY).setIdleTimeout(30_000);
    }

    public static void main(String[] args) throws Exception {
        int[] rates = intList("bench.rates", "100,250,500");
        int runSeconds = Integer.getInteger("bench.seconds", 30);
        // the JIT keeps compiling for a minute or two at these rates; a short warm-up measures the compiler
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 120);
        int warmupRate = Integer.getInteger("bench.warmupRate", 400);
        quietLogging();
        Path roster = BenchmarkSupport.everyoneEligibleRoster(Files.createTempFile("bench-roster", ".yaml"));
        Map<String, String> hubSettings = BenchmarkSupport.hubSettings();
        try (BenchRedis redis = BenchRedis.start(); BenchHub hub = new BenchHub(redis, roster, hubSettings);
             SubmissionToAssignmentBenchmark bench = new SubmissionToAssignmentBenchmark(redis, hub.baseUrl, hub.hub.context(),
                     hub.stream)) {
            quietLogging();
            printMachine("submission to assignment (POST /api/claims -> snapshot assigned)", redis,
                    "hub         Camel Main, HubApplication, defaults" + (hubSettings.isEmpty() ? "" : " but " + hubSettings)
                    + "; roster: 4 adjusters, every type/region, maxOpenClaims 1000000; " + hub.baseUrl,
                    "plan        warm-up " + warmupSeconds + " s at " + warmupRate + "/s, then " + runSeconds + " s at each of "
                    + java.util.Arrays.toString(rates) + " claims/s, open loop; Vert.x HTTP/1.1 client, "
                    + bench.connections + " keep-alive connections, one event loop; snapshot watched by keyspace"
                    + " notifications (" + new String(bench.snapshotPattern, StandardCharsets.UTF_8) + "), sweep every "
                    + bench.sweepNanos / 1_000_000 + " ms of at most " + bench.sweepReads + " claims unread that long");
            String previous = bench.enableNotifications();
            try {
                bench.run("warmup", warmupRate, warmupSeconds);
                for (int rate : rates) {
                    bench.run("", rate, runSeconds);
                }
            } finally {
                bench.restoreNotifications(previous);
            }
            bench.idle(Integer.getInteger("bench.idleSeconds", 10));
        } finally {
            Files.deleteIfExists(roster);
        }
    }

    /** Adds K (keyspace channel) and h (hash commands) to notify-keyspace-events; returns the value it had. */
    private String enableNotifications() {
        try (RedisConnection connection = redis.factory.getConnection()) {
            String previous = connection.serverCommands().getConfig(NOTIFY).getProperty(NOTIFY, "");
            StringBuilder flags = new StringBuilder(previous);
            if (previous.indexOf('K') < 0) {
                flags.append('K');
            }
            if (previous.indexOf('h') < 0 && previous.indexOf('A') < 0) {
                flags.append('h');
            }
            connection.serverCommands().setConfig(NOTIFY, flags.toString());
            return previous;
        }
    }

    private void restoreNotifications(String previous) {
        try (RedisConnection connection = redis.factory.getConnection()) {
            connection.serverCommands().setConfig(NOTIFY, previous);
        }
    }

    /**
     * Waits until every consumer group has read and acknowledged the whole global log, so that a rate starts on an
     * idle hub rather than on the backlog (and the catch-up CPU) of the rate before it.
     */
    private void drain() throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (RedisConnection connection = redis.factory.getConnection()) {
                String last = connection.streamCommands().xInfo(stream.getBytes(StandardCharsets.UTF_8))
                        .lastGeneratedId();
                boolean idle = true;
                for (var group : connection.streamCommands().xInfoGroups(stream.getBytes(StandardCharsets.UTF_8))) {
                    idle &= group.pendingCount() == 0 && last.equals(group.lastDeliveredId());
                }
                if (idle) {
                    System.out.printf(Locale.ROOT, " drained: every group caught up after %.1f s%n",
                            (System.nanoTime() - started) / 1e9);
                    return;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        System.out.println(" drained: NOT caught up after 120 s; the next rate starts on a backlog");
    }

    private void run(String label, int rate, int runSeconds) throws Exception {
        drain();
        int total = rate * runSeconds;
        Buffer[] bodies = new Buffer[total];
        for (int i = 0; i < total; i++) {
            bodies[i] = Buffer.buffer(RestSubmissionBenchmark.submission(rate, i));
        }
        ManagedRouteMBean processors = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute("processors");
        processors.reset(true);
        List<Claim> all = new ArrayList<>(total);
        AtomicLong failures = new AtomicLong();
        Histogram sendLag = latencyHistogram();
        CompletableFuture<Void> reset = new CompletableFuture<>();
        loop.runOnContext(v -> {
            inFlight = 0;
            maxInFlight = 0;
            reset.complete(null);
        });
        reset.get(10, TimeUnit.SECONDS);
        Watcher watcher = new Watcher(total, failures);
        watcher.subscribe();
        System.gc();
        Map<String, Long> callsBefore = redis.commandCalls();
        long jvmCpuBefore = os.getProcessCpuTime();
        long mainCpuBefore = threads.getCurrentThreadCpuTime();
        long loopCpuBefore = threads.getThreadCpuTime(loopThread.getId());
        double redisCpuBefore = redis.cpuSeconds();
        long start = System.nanoTime() + 10_000_000L;
        watcher.start(start);
        for (int i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            sendLag.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
            Claim claim = new Claim(due, System.currentTimeMillis());
            all.add(claim);
            Buffer body = bodies[i];
            bodies[i] = null;
            loop.runOnContext(v -> send(claim, body, watcher, failures));
        }
        double sendSeconds = seconds(System.nanoTime() - start);
        watcher.join(60_000);
        long jvmCpu = os.getProcessCpuTime() - jvmCpuBefore;
        long mainCpu = threads.getCurrentThreadCpuTime() - mainCpuBefore;
        long loopCpu = threads.getThreadCpuTime(loopThread.getId()) - loopCpuBefore;
        double redisCpu = redis.cpuSeconds() - redisCpuBefore;
        Map<String, Long> callsAfter = redis.commandCalls();
        Histogram latency = watcher.latency;
        long assigned = latency.getTotalCount();
        long lastSeen = all.stream().mapToLong(c -> c.seenNanos).max().orElse(start);
        System.out.printf(Locale.ROOT, "%s rate %d/s: sent %d in %.1f s (%.0f/s, send lag p99 %.2f ms), assigned %d, failed %d"
                                       + "  load %s%n", label, rate, total, sendSeconds, total / sendSeconds,
                millis(sendLag, 99), assigned, failures.get(), loadAverage());
        System.out.printf(Locale.ROOT, "   POST -> snapshot assigned: %s%n", BenchmarkSupport.percentiles(latency));
        System.out.printf(Locale.ROOT, "   watcher: seen assigned by notification %d (%d of them notified before their POST answer),"
                                       + " by sweep %d (%d of them notified afterwards); reaction p50 %.2f ms, p99 %.2f ms;"
                                       + " %d notifications, %d status reads (%d by sweep)%s%n", watcher.byNotice,
                watcher.early, watcher.bySweep, watcher.sweepBeforeNotice,
                millis(watcher.reaction, 50), millis(watcher.reaction, 99), watcher.notices, watcher.reads,
                watcher.sweepReadCount, watcher.subscriberError == null ? "" : "; subscriber failed: " + watcher.subscriberError);
        System.out.printf(Locale.ROOT, "   generator: %d connections, at most %d requests in flight%n", connections, maxInFlight);
        // below the offered rate when the hub falls behind: the last claims are assigned long after the last POST
        System.out.printf(Locale.ROOT, "   assigned rate: %.0f claims/s (first POST to last claim seen assigned)%n",
                assigned / seconds(lastSeen - start));
        long benchCpu = mainCpu + loopCpu + watcher.subscriberCpu + watcher.checkerCpu;
        System.out.printf(Locale.ROOT, "   cpu per claim: jvm %.0f us = hub, JIT, GC %.0f us + benchmark threads %.0f us"
                                       + " (main %.0f, http event loop %.0f, subscriber %.0f, checker %.0f); redis %.0f us%n",
                perClaim(jvmCpu, total), perClaim(jvmCpu - benchCpu, total), perClaim(benchCpu, total),
                perClaim(mainCpu, total), perClaim(loopCpu, total), perClaim(watcher.subscriberCpu, total),
                perClaim(watcher.checkerCpu, total), redisCpu * 1e6 / total);
        stages(all);
        consumerSteps(processors);
        commandsPerClaim(callsBefore, callsAfter, all.size());
    }

    private static double perClaim(long nanos, int claims) {
        return nanos / 1e3 / claims;
    }

    /** On the event loop: sends one claim; its answer gives the claim id to the watcher, or counts a failure. */
    private void send(Claim claim, Buffer body, Watcher watcher, AtomicLong failures) {
        if (++inFlight > maxInFlight) {
            maxInFlight = inFlight;
        }
        http.request(post)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(b -> response.statusCode() == 202 ? b : null))
                .onComplete(answer -> {
                    inFlight--;
                    Matcher m = answer.succeeded() && answer.result() != null
                            ? CLAIM_ID.matcher(answer.result().toString(StandardCharsets.ISO_8859_1)) : null;
                    if (m != null && m.find()) {
                        claim.id = m.group(1);
                        watcher.answered(claim);
                    } else {
                        failures.incrementAndGet();
                    }
                });
    }

    /**
     * The two watcher threads of one rate: the subscriber passes the snapshot keys' notifications on, the checker
     * reads the notified (and, as a safety sweep, the long unread) outstanding claims' status until every claim was
     * seen assigned or failed, or 30 s passed without progress.
     */
    private final class Watcher {
        final int total;
        final AtomicLong failures;
        final Queue<Claim> answered = new ConcurrentLinkedQueue<>();
        final Queue<Notice> noticeQueue = new ConcurrentLinkedQueue<>();
        /** Set by the checker before it parks while a notified claim id is not known yet: answers then wake it. */
        volatile boolean waitingForIds;
        final Histogram latency = latencyHistogram();
        final Histogram reaction = latencyHistogram();
        final CountDownLatch subscribed = new CountDownLatch(1);
        final Thread subscriber = new Thread(this::subscribe0, "bench-keyspace-subscriber");
        final Thread checker = new Thread(this::check, "bench-snapshot-checker");
        final BinaryJedisPubSub pubsub = new BinaryJedisPubSub() {
            @Override
            public void onPSubscribe(byte[] pattern, int subscribedChannels) {
                subscribed.countDown();
            }

            @Override
            public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
                // __keyspace@0__:claim:{CLM-XXXXXXXX}; the pattern lets only keys ending in } through
                int close = channel.length - 1;
                int open = close;
                while (open > 0 && channel[open] != '{') {
                    open--;
                }
                if (channel[close] != '}' || open == 0) {
                    return;
                }
                notices++;
                noticeQueue.add(new Notice(new String(channel, open + 1, close - open - 1, StandardCharsets.ISO_8859_1),
                        System.nanoTime()));
                LockSupport.unpark(checker);
            }
        };
        long start;
        // subscriber thread's (read after joining it)
        long notices;
        long subscriberCpu;
        volatile Throwable subscriberError;
        // checker thread's (read after joining it)
        long byNotice;
        long early;
        long bySweep;
        long sweepBeforeNotice;
        long reads;
        long sweepReadCount;
        long checkerCpu;

        Watcher(int total, AtomicLong failures) {
            this.total = total;
            this.failures = failures;
            subscriber.setDaemon(true);
            checker.setDaemon(true);
        }

        /** Starts the subscriber and waits for Redis to confirm the PSUBSCRIBE. */
        void subscribe() throws InterruptedException {
            subscriber.start();
            if (!subscribed.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no PSUBSCRIBE confirmation within 10 s");
            }
            if (subscriberError != null) {
                throw new IllegalStateException("PSUBSCRIBE failed", subscriberError);
            }
        }

        void start(long startNanos) {
            start = startNanos;
            checker.start();
        }

        void join(long millis) throws InterruptedException {
            checker.join(millis);
            if (checker.isAlive()) {
                throw new IllegalStateException("the snapshot checker did not end");
            }
            subscriber.join(10_000);
        }

        /** On the event loop: a claim's id is known. */
        void answered(Claim claim) {
            answered.add(claim);
            if (waitingForIds) {
                LockSupport.unpark(checker);
            }
        }

        private void subscribe0() {
            try (RedisConnection connection = redis.factory.getConnection()) {
                ((Jedis) connection.getNativeConnection()).psubscribe(pubsub, snapshotPattern);
            } catch (RuntimeException e) {
                subscriberError = e;
                subscribed.countDown();
            } finally {
                subscriberCpu = threads.getCurrentThreadCpuTime();
            }
        }

        private void check() {
            long cpuBefore = threads.getCurrentThreadCpuTime();
            Map<String, Claim> byId = new HashMap<>(total * 2);
            Map<String, Long> notifiedUnknown = new HashMap<>();
            // in the order they were last read (or became known), so the sweep takes the longest unread first
            Set<Claim> outstanding = new LinkedHashSet<>();
            List<Claim> due = new ArrayList<>();
            long lastProgress = System.nanoTime();
            long nextSweep = lastProgress + sweepNanos;
            try (RedisConnection connection = redis.factory.getConnection()) {
                Jedis jedis = (Jedis) connection.getNativeConnection();
                while (latency.getTotalCount() + failures.get() < total
                       && System.nanoTime() - lastProgress < NO_PROGRESS_NANOS) {
                    long now = System.nanoTime();
                    for (Claim c; (c = answered.poll()) != null; ) {
                        c.key = ClaimKeys.snapshot(c.id).getBytes(StandardCharsets.UTF_8);
                        c.lastReadNanos = now;
                        byId.put(c.id, c);
                        outstanding.add(c);
                        Long notified = notifiedUnknown.remove(c.id);
                        if (notified != null) {
                            queue(c, Reason.EARLY_NOTICE, now, due);
                        }
                    }
                    for (Notice n; (n = noticeQueue.poll()) != null; ) {
                        Claim c = byId.get(n.claimId());
                        if (c == null) {
                            notifiedUnknown.putIfAbsent(n.claimId(), n.nanos());
                        } else if (c.seenNanos == 0) {
                            queue(c, Reason.NOTICE, n.nanos(), due);
                        } else if (c.reason == Reason.SWEEP && !c.notifiedAfterSweep) {
                            // the sweep's read came just after the write, before its notification was handled
                            c.notifiedAfterSweep = true;
                            sweepBeforeNotice++;
                        }
                    }
                    if (now >= nextSweep) {
                        int swept = 0;
                        for (Iterator<Claim> it = outstanding.iterator(); it.hasNext() && swept < sweepReads; ) {
                            Claim c = it.next();
                            if (now - c.lastReadNanos < sweepNanos) {
                                break;
                            }
                            if (!c.queued) {
                                queue(c, Reason.SWEEP, now, due);
                                swept++;
                            }
                        }
                        sweepReadCount += swept;
                        // ids never answered (failed POSTs, claims of earlier rates the hub still writes to)
                        notifiedUnknown.values().removeIf(t -> now - t > NO_PROGRESS_NANOS);
                        nextSweep = now + sweepNanos;
                    }
                    if (!due.isEmpty()) {
                        if (read(jedis, due, outstanding)) {
                            lastProgress = System.nanoTime();
                        }
                        due.clear();
                        continue;
                    }
                    waitingForIds = !notifiedUnknown.isEmpty();
                    if (answered.isEmpty() && noticeQueue.isEmpty()) {
                        LockSupport.parkNanos(Math.max(1, nextSweep - System.nanoTime()));
                    }
                }
            } finally {
                try {
                    pubsub.punsubscribe();
                } catch (RuntimeException e) {
                    if (subscriberError == null) {
                        subscriberError = e;
                    }
                }
                checkerCpu = threads.getCurrentThreadCpuTime() - cpuBefore;
            }
        }

        private void queue(Claim c, Reason reason, long reactFrom, List<Claim> due) {
            if (!c.queued) {
                c.queued = true;
                c.reason = reason;
                c.reactFromNanos = reactFrom;
                due.add(c);
            }
        }

        /** Reads the status of the due claims in one round trip; true if one was seen assigned. */
        private boolean read(Jedis jedis, List<Claim> due, Set<Claim> outstanding) {
            List<byte[]> statuses = new ArrayList<>(due.size());
            if (due.size() == 1) {
                statuses.add(jedis.hget(due.get(0).key, STATUS));
            } else {
                Pipeline pipeline = jedis.pipelined();
                List<Response<byte[]>> responses = new ArrayList<>(due.size());
                for (Claim c : due) {
                    responses.add(pipeline.hget(c.key, STATUS));
                }
                pipeline.sync();
                for (Response<byte[]> r : responses) {
                    statuses.add(r.get());
                }
            }
            reads += due.size();
            long now = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            boolean progress = false;
            Iterator<byte[]> it = statuses.iterator();
            for (Claim c : due) {
                byte[] status = it.next();
                c.queued = false;
                c.lastReadNanos = now;
                if (status != null && ClaimStatus.ASSIGNED.wireName().equalsIgnoreCase(
                        new String(status, StandardCharsets.UTF_8))) {
                    c.seenNanos = now;
                    c.seenMillis = nowMillis;
                    latency.recordValue(Math.max(1, (now - c.dueNanos) / 1000));
                    if (c.reason == Reason.SWEEP) {
                        bySweep++;
                    } else {
                        byNotice++;
                        if (c.reason == Reason.EARLY_NOTICE) {
                            early++;
                        }
                        reaction.recordValue(Math.max(1, (now - c.reactFromNanos) / 1000));
                    }
                    outstanding.remove(c);
                    progress = true;
                } else if (outstanding.remove(c)) {
                    outstanding.add(c);
                }
            }
            return progress;
        }
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
     * What the hub costs with nothing to do, after the rates (JIT done, keyspace notifications off again): CPU of
     * this JVM (the idle hub; of it the benchmark's main thread and idle event loop) and of Redis, in cores.
     * Measuring an idle period is the point here, so this sleeps rather than waiting for an effect.
     */
    private void idle(int idleSeconds) throws InterruptedException {
        long jvmBefore = os.getProcessCpuTime();
        long benchBefore = threads.getCurrentThreadCpuTime() + threads.getThreadCpuTime(loopThread.getId());
        double redisBefore = redis.cpuSeconds();
        long start = System.nanoTime();
        Thread.sleep(idleSeconds * 1000L);
        double wall = seconds(System.nanoTime() - start);
        long bench = threads.getCurrentThreadCpuTime() + threads.getThreadCpuTime(loopThread.getId()) - benchBefore;
        System.out.printf(Locale.ROOT, "idle hub for %.0f s: jvm %.2f cores (benchmark threads %.3f), redis %.2f cores"
                                       + "  load %s%n", wall, (os.getProcessCpuTime() - jvmBefore) / 1e9 / wall,
                bench / 1e9 / wall, (redis.cpuSeconds() - redisBefore) / wall, loadAverage());
    }

    /**
     * Where the time went, from the append times Redis stamped into the claim streams' entry ids (ms): send ->
     * claim.submitted appended (HTTP + decide + append), -> claim.assigned appended (consumer reads the submission,
     * snapshot step, assignment step), -> snapshot seen assigned (consumer reads claim.assigned, snapshot step,
     * notification, status read).
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
                    c.submittedMillis = submitted;
                    c.assignedMillis = assigned;
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
        if (Boolean.getBoolean("bench.timeline")) {
            timeline(seen);
        }
    }

    /**
     * With {@code bench.timeline}: every 100 ms window (by send time, wall clock) whose slowest claim took 50 ms or
     * more, with that claim's stages, to line stalls up with GC logs, {@code vmstat} or Redis' SLOWLOG.
     */
    private static void timeline(List<Claim> seen) {
        Map<Long, Claim> worst = new java.util.TreeMap<>();
        for (Claim c : seen) {
            worst.merge(c.sentMillis / 100, c, (a, b) -> total(a) >= total(b) ? a : b);
        }
        java.time.format.DateTimeFormatter hms = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC);
        worst.forEach((window, c) -> {
            if (total(c) >= 50) {
                System.out.printf(Locale.ROOT, "   slow window %s: worst %d ms = ingress %d + to assigned %d + to seen %d%n",
                        hms.format(java.time.Instant.ofEpochMilli(window * 100)), total(c),
                        c.submittedMillis - c.sentMillis, c.assignedMillis - c.submittedMillis,
                        c.seenMillis - c.assignedMillis);
            }
        });
    }

    private static long total(Claim c) {
        return c.seenMillis - c.sentMillis;
    }

    /**
     * Redis commands per claim during the rate (INFO commandstats; commands inside scripts counted under their own
     * names, so the script calls are the round trips and the rest may run inside them), the watcher's own commands
     * (HGET status, PUNSUBSCRIBE) included; counted before the stage read-out (XRANGE), which is not.
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

    @Override
    public void close() throws Exception {
        try {
            http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
