package io.claimshub.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.claimshub.bench.BenchmarkSupport.intList;
import static io.claimshub.bench.BenchmarkSupport.latencyHistogram;
import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.millis;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.claimshub.bench.BenchmarkSupport.BenchHub;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.integration.IntegrationKeys;
import io.claimshub.notification.Channel;
import io.claimshub.notification.NotificationConfigFiles;
import io.claimshub.notification.NotificationKeys;
import io.claimshub.notification.RulesWatch;
import io.claimshub.payment.PaymentKeys;
import io.claimshub.testsupport.TestHub;
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
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Notifications under load: from the event that causes a message to the message accepted by its partner, with the
 * whole hub running and claims going through full lifecycles at fixed open-loop rates.
 *
 * <p><b>What runs.</b> The real hub ({@link BenchHub}: Camel Main, every group and route: processors, analytics,
 * integrations with the policy check on and the claims table, notifications and its three channel senders), personal
 * data encryption on (the default), on an embedded Redis (or {@code REDIS_URL}). Its partners run in a second JVM
 * started by the benchmark ({@link Partners}), so that their CPU is theirs and not the hub's: a GreenMail SMTP server
 * ({@code hub.mail.smtp-url}) and one WireMock server standing in for the SMS gateway ({@code /sms}, 200), the
 * status portal ({@code /status}, 204; the webhook channel) and the payment API ({@code /payments}, 201:
 * {@code hub.payment.mode=api}). The payment partner confirms each payment at once with a signed
 * {@code POST /api/payments/callback}, as a payment system does (later).
 *
 * <p><b>The lifecycle.</b> Claim i is submitted ({@code POST /api/claims}) at start + i / rate whatever the answers do
 * (Vert.x HTTP/1.1 client on one event loop of the benchmark's, {@code bench.connections} keep-alive connections); a
 * share {@code bench.urgentShare} of them urgent, so the SMS rules fire. The processors assign it (the benchmark's
 * roster: four senior adjusters for every type and region, capacity never runs out), the policy adapter checks it
 * ({@code config/policies.csv}); {@code bench.approveAfterMillis} after its submission was due the benchmark approves
 * it ({@code POST /api/claims/{id}/events}, {@code claim.approved}), again every {@code bench.retryMillis} while the
 * hub answers 409 (not assigned or policy not checked yet). The payment adapter then appends
 * {@code claim.payment.initiated} and POSTs the payment; the partner's callback appends {@code claim.payment.completed}.
 * Every claimant has an e-mail address of its own (the repeat-claimant rule would flag the claim otherwise). The
 * shipped {@code config/notifications.yaml} and templates decide what goes out: per claim 4 e-mails, 5 status updates
 * and, when urgent, 4 text messages.
 *
 * <p><b>Latency of a message</b> = when the partner accepted it (GreenMail's received time of the stored message; for
 * WireMock the moment its request listener runs, i.e. the answer is ready) minus when the event that caused it was
 * appended (the ms of the event's entry id in the log, stamped by Redis). A message is mapped back to its event by its
 * idempotency key (e-mail: the Message-ID's local part; SMS, status update: the {@code Idempotency-Key} header),
 * which is SHA-256 of the message's ledger id {@code <event id>/<channel>/<recipient>}; the outbox streams give each
 * message's ledger id, event id and queued time (their entry ids), which splits the latency into event -> queued (the
 * notifications group) and queued -> accepted (the channel's sender and the partner). Clocks: Redis's and this host's,
 * the same machine (ms resolution); with {@code REDIS_URL} on another host, the skew goes into the figures.
 *
 * <p><b>Counted.</b> Per channel: the messages the rules ask for (a table of the shipped rules), those queued, those
 * accepted, missing (queued, never accepted), doubled (one idempotency key accepted twice) and unexpected (accepted,
 * not queued for this phase's claims); dead letters. Throughput: messages accepted per second in the steady window
 * (from {@code approveAfterMillis} + 1 s after the first submission, when every event type flows, to the last
 * submission), against the rate offered in that window.
 *
 * <p><b>CPU and the same-run baseline.</b> Each rate runs twice: first with the rules emptied ({@code rules: []},
 * reloaded by the hub: the same lifecycles, the notifications group still reads and folds every event, no message),
 * then with the shipped rules. The CPU of the hub's JVM (process CPU minus the benchmark's own threads), of the
 * partners' JVM and of Redis ({@code INFO cpu}) from the first submission until every group has caught up: the
 * difference between the two runs, divided by the messages, is the CPU a message costs. Before the rates, the
 * partners' floor: {@code bench.bareSends} e-mails sent from a bare Jakarta Mail client (a new SMTP connection each,
 * as camel-mail does) and as many JSON POSTs from a bare HTTP client (keep-alive), one at a time.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.NotificationsBenchmark}.
 * Settings: {@code bench.rates} (50,200 claims/s), {@code bench.seconds} (30 per run), {@code bench.warmupSeconds}
 * (60) at {@code bench.warmupRate} (50/s), {@code bench.baseline} (true), {@code bench.urgentShare} (0.2),
 * {@code bench.approveAfterMillis} (2000), {@code bench.retryMillis} (250), {@code bench.connections} (16),
 * {@code bench.tailSeconds} (60: how long to wait without any progress for the last messages),
 * {@code bench.maxWaitSeconds} (600: how long at most after the last submission), {@code bench.bareSends} (500; 0:
 * none); other {@code hub.*} system properties are passed to the hub.
 */
public final class NotificationsBenchmark implements AutoCloseable {

    private static final Pattern CLAIM_ID = Pattern.compile("\"claimId\"\\s*:\\s*\"(CLM-[A-Z0-9]{8})\"");
    private static final List<Channel> CHANNELS = List.of(Channel.EMAIL, Channel.SMS, Channel.WEBHOOK);
    private static final String CALLBACK_SECRET = "bench-payment-callback-secret-0123456789";
    private static final String WEBHOOK_SECRET = "bench-portal-secret";
    private static final String MAIL_FROM = "claims@claimshub.example";

    private final BenchRedis redis;
    private final BenchHub hub;
    private final PartnerProcess partners;
    private final Path rulesFile;
    private final String rulesOn;
    private final String rulesOff;
    private final int shippedRules;
    private final RulesWatch rules;
    private final NotificationKeys notificationKeys;
    private final List<String> groupStreams = new ArrayList<>();
    private final int connections = Integer.getInteger("bench.connections", 16);
    private final double urgentShare = Double.parseDouble(System.getProperty("bench.urgentShare", "0.2"));
    private final long approveAfterNanos = Long.getLong("bench.approveAfterMillis", 2000) * 1_000_000L;
    private final long retryMillis = Long.getLong("bench.retryMillis", 250);
    private final long tailNanos = Long.getLong("bench.tailSeconds", 60) * 1_000_000_000L;
    private final long maxWaitNanos = Long.getLong("bench.maxWaitSeconds", 600) * 1_000_000_000L;
    private final Vertx vertx;
    private final Context loop;
    private final Thread loopThread;
    private final HttpClient http;
    private final URI apiBase;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final String incidentDate = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
    private int phaseNumber;
    /** The baseline of each rate (rules emptied), for the CPU a message costs. */
    private final Map<Integer, Cpu> baselines = new HashMap<>();
    /** First failure answers, for the report (event loop only). */
    private final Map<String, String> firstErrors = new TreeMap<>();

    /** One claim's lifecycle as the benchmark drives it. */
    private static final class Claim {
        final int index;
        final boolean urgent;
        final long dueNanos;
        volatile String id;
        /** 0 waiting for the POST answer, 1 submitted, 2 approved; -1 submission failed, -2 approval failed. */
        volatile int state;
        // event loop only
        int approvalAttempts;

        Claim(int index, boolean urgent, long dueNanos) {
            this.index = index;
            this.urgent = urgent;
            this.dueNanos = dueNanos;
        }
    }

    /** CPU of one run: hub JVM (benchmark threads taken out), partners' JVM, Redis, in ns; and its messages. */
    private record Cpu(long hubNanos, long partnersNanos, long redisNanos, int claims, long messages) {
    }

    /** A message as the hub queued it (outbox stream entry). */
    private record Queued(Channel channel, String eventId, String claimId, long queuedMillis) {
    }

    /** An event of the log: when it was appended, its type and claim. */
    private record Event(long millis, String type, String claimId) {
    }

    private NotificationsBenchmark(BenchRedis redis, Path dir, Path roster, Map<String, String> hubSettings)
            throws Exception {
        this.redis = redis;
        partners = PartnerProcess.start(dir.resolve("partners.log"));
        rulesFile = NotificationConfigFiles.copyShipped(dir);
        rulesOn = Files.readString(rulesFile);
        Matcher list = Pattern.compile("(?ms)^rules:\\s*$.*?(?=^compliance:)").matcher(rulesOn);
        rulesOff = list.find() ? list.replaceFirst("rules: []\n\n") : "defaultLocale: en\nrules: []\n";
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hub.notifications.namespace", "bench:notif:" + java.util.UUID.randomUUID());
        settings.put("hub.notifications.rules-file", rulesFile.toString());
        settings.put("hub.notifications.rules-check-interval", "500");
        settings.put("hub.notifications.templates-dir", dir.resolve("templates").toString());
        settings.put("hub.mail.smtp-url", "smtp://127.0.0.1:" + partners.smtpPort);
        settings.put("hub.mail.from", MAIL_FROM);
        settings.put("hub.sms.gateway-url", partners.httpBase + "/sms");
        settings.put("hub.sms.token", "bench-gateway-token");
        settings.put("hub.webhook.url", partners.httpBase + "/status");
        settings.put("hub.webhook.secret", WEBHOOK_SECRET);
        settings.put("hub.payment.mode", "api");
        settings.put("hub.payment.api-url", partners.httpBase + "/payments");
        settings.put("hub.payment.api-token", "bench-payment-token");
        settings.put("hub.payment.callback-secret", CALLBACK_SECRET);
        settings.put("hub.policy.enabled", "true");
        settings.put("hub.mail.outbox-dir", dir.resolve("outbox/mail").toString());
        settings.put("hub.sms.outbox-file", dir.resolve("outbox/sms.jsonl").toString());
        settings.put("hub.webhook.outbox-file", dir.resolve("outbox/status-updates.jsonl").toString());
        settings.put("hub.payment.outbox-dir", dir.resolve("payments/outbox").toString());
        settings.put("hub.payment.inbox-dir", dir.resolve("payments/inbox").toString());
        settings.putAll(hubSettings);
        hub = new BenchHub(redis, roster, settings);
        var registry = hub.hub.context().getRegistry();
        rules = registry.lookupByNameAndType("notificationRules", RulesWatch.class);
        shippedRules = rules.get().rules().size();
        notificationKeys = registry.lookupByNameAndType("notificationKeys", NotificationKeys.class);
        groupStreams.add(hub.stream);
        for (Channel channel : CHANNELS) {
            groupStreams.add(notificationKeys.outbox(channel));
        }
        groupStreams.add(registry.lookupByNameAndType("integrationKeys", IntegrationKeys.class).policyChecks());
        groupStreams.add(registry.lookupByNameAndType("paymentKeys", PaymentKeys.class).paymentsStream());
        partners.command("HUB " + hub.baseUrl + " " + TestHub.API_KEY + " " + CALLBACK_SECRET);

        // the benchmark's own Vert.x, its threads named bench-... (as SubmissionToAssignmentBenchmark)
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
        apiBase = URI.create(hub.baseUrl);
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    public static void main(String[] args) throws Exception {
        int[] rates = intList("bench.rates", "50,200");
        int runSeconds = Integer.getInteger("bench.seconds", 30);
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 60);
        int warmupRate = Integer.getInteger("bench.warmupRate", 50);
        boolean baseline = Boolean.parseBoolean(System.getProperty("bench.baseline", "true"));
        int bareSends = Integer.getInteger("bench.bareSends", 500);
        quietLogging();
        Path dir = Files.createTempDirectory("claimshub-notif-bench");
        Path roster = BenchmarkSupport.everyoneEligibleRoster(dir.resolve("roster.yaml"));
        Map<String, String> hubSettings = BenchmarkSupport.hubSettings();
        // one API key drives every claim (and retries approvals on 409): the per-caller rate limit is not what is measured
        hubSettings.putIfAbsent("hub.api.rate-limit.per-second", "1000000");
        hubSettings.putIfAbsent("hub.api.rate-limit.burst", "1000000");
        try (BenchRedis redis = BenchRedis.start();
             NotificationsBenchmark bench = new NotificationsBenchmark(redis, dir, roster, hubSettings)) {
            quietLogging();
            printMachine("notifications: event -> message accepted by GreenMail / WireMock, full lifecycles", redis,
                    "hub         Camel Main, HubApplication, every group; policy check on, payment mode api, encryption on"
                    + (hubSettings.isEmpty() ? "" : "; but " + hubSettings) + "; roster: 4 adjusters, every type/region; "
                    + bench.hub.baseUrl,
                    "partners    JVM of their own (pid " + bench.partners.pid + "): GreenMail SMTP 127.0.0.1:"
                    + bench.partners.smtpPort + "; WireMock " + bench.partners.httpBase
                    + " (/sms 200, /status 204, /payments 201, callback at once)",
                    "rules       " + bench.shippedRules + " shipped rules (config/notifications.yaml); baseline runs: rules: []",
                    "plan        warm-up " + warmupSeconds + " s at " + warmupRate + "/s; then per rate of "
                    + java.util.Arrays.toString(rates) + " claims/s: " + (baseline ? "baseline (rules emptied), then " : "")
                    + "notifications, " + runSeconds + " s each, open loop, " + Math.round(bench.urgentShare * 100)
                    + " % urgent, approval " + bench.approveAfterNanos / 1_000_000 + " ms after submission (409: again every "
                    + bench.retryMillis + " ms)");
            bench.phase("warmup", warmupRate, warmupSeconds, true);
            if (bareSends > 0) {
                bench.bareSends(bareSends);
            }
            for (int rate : rates) {
                if (baseline) {
                    bench.phase("baseline", rate, runSeconds, false);
                }
                bench.phase("notifications", rate, runSeconds, true);
            }
        } finally {
            deleteTree(dir);
        }
    }

    // ---------------------------------------------------------------------------------------------- one run

    private void phase(String label, int rate, int runSeconds, boolean notify) throws Exception {
        useRules(notify);
        drain();
        partners.command("RESET");
        int total = rate * runSeconds;
        String tag = "p" + (++phaseNumber);
        Buffer[] bodies = new Buffer[total];
        boolean[] urgent = new boolean[total];
        Claim[] claims = new Claim[total];
        for (int i = 0; i < total; i++) {
            // spread evenly: claim i is urgent when the running count of urgent claims steps up
            urgent[i] = Math.floor((i + 1) * urgentShare) > Math.floor(i * urgentShare);
            bodies[i] = Buffer.buffer(submission(tag, i, urgent[i]));
        }
        CompletableFuture<Void> reset = new CompletableFuture<>();
        loop.runOnContext(v -> {
            firstErrors.clear();
            reset.complete(null);
        });
        reset.get(10, TimeUnit.SECONDS);
        Map<String, Long> deadBefore = deadLetters();
        System.gc();
        Map<String, Long> callsBefore = redis.commandCalls();
        long partnersCpuBefore = partners.cpuNanos();
        long jvmCpuBefore = os.getProcessCpuTime();
        long mainCpuBefore = threads.getCurrentThreadCpuTime();
        long loopCpuBefore = threads.getThreadCpuTime(loopThread.getId());
        double redisCpuBefore = redis.cpuSeconds();
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime() + 10_000_000L;
        AtomicLong approvalRetries = new AtomicLong();
        for (int i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            Claim claim = new Claim(i, urgent[i], due);
            claims[i] = claim;
            Buffer body = bodies[i];
            bodies[i] = null;
            loop.runOnContext(v -> submit(claim, body, approvalRetries));
        }
        long lastDueMillis = startMillis + 10 + (total - 1) * 1000L / rate;
        double sendSeconds = seconds(System.nanoTime() - start);
        boolean complete = awaitLifecycles(claims, notify);
        drain();
        long jvmCpu = os.getProcessCpuTime() - jvmCpuBefore;
        long benchCpu = threads.getCurrentThreadCpuTime() - mainCpuBefore
                        + threads.getThreadCpuTime(loopThread.getId()) - loopCpuBefore;
        long partnersCpu = partners.cpuNanos() - partnersCpuBefore;
        double redisCpu = redis.cpuSeconds() - redisCpuBefore;
        Map<String, Long> callsAfter = redis.commandCalls();
        long busyMillis = System.currentTimeMillis() - startMillis;
        String load = loadAverage();

        int submitted = 0;
        int approved = 0;
        Set<String> ids = new HashSet<>();
        Map<String, Boolean> urgentById = new HashMap<>();
        for (Claim c : claims) {
            if (c.id != null) {
                submitted++;
                ids.add(c.id);
                urgentById.put(c.id, c.urgent);
            }
            if (c.state == 2) {
                approved++;
            }
        }
        Map<String, Event> events = events(startMillis - 1, ids);
        long paid = events.values().stream().filter(e -> e.type.equals("claim.payment.completed")).count();
        System.out.printf(Locale.ROOT, "%s rate %d/s%s: %d claims sent in %.1f s, submitted %d, approved %d (%d approval"
                                       + " retries on 409), paid %d; %d events; busy %.1f s (to every message and every"
                                       + " group caught up)%s  load %s%n", label, rate, notify ? "" : " (rules emptied)",
                total, sendSeconds, submitted, approved, approvalRetries.get(), paid, events.size(), busyMillis / 1000.0,
                complete ? "" : " NOT COMPLETE", load);
        if (!firstErrors.isEmpty()) {
            System.out.println("   failures: " + firstErrors);
        }
        Map<String, Long> deadAfter = deadLetters();
        StringBuilder dead = new StringBuilder();
        deadAfter.forEach((k, v) -> {
            long d = v - deadBefore.getOrDefault(k, 0L);
            if (d != 0) {
                dead.append(' ').append(k).append(' ').append(d);
            }
        });
        if (dead.length() > 0) {
            System.out.println("   dead letters / unknown fates during the run:" + dead);
        }

        long messages = 0;
        if (notify) {
            messages = messages(rate, runSeconds, startMillis, lastDueMillis, events, ids, urgentById);
        }
        Cpu cpu = new Cpu(jvmCpu - benchCpu, partnersCpu, Math.round(redisCpu * 1e9), submitted, messages);
        System.out.printf(Locale.ROOT, "   cpu per claim: hub jvm %.0f us (benchmark threads %.0f us apart), partners jvm"
                                       + " %.0f us, redis %.0f us; redis calls per claim %s%n",
                cpu.hubNanos / 1e3 / Math.max(1, submitted), benchCpu / 1e3 / Math.max(1, submitted),
                cpu.partnersNanos / 1e3 / Math.max(1, submitted), cpu.redisNanos / 1e3 / Math.max(1, submitted),
                callsPerClaim(callsBefore, callsAfter, Math.max(1, submitted)));
        if (!notify) {
            baselines.put(rate, cpu);
        } else if (messages > 0) {
            System.out.printf(Locale.ROOT, "   cpu per message (%d messages, all channels): hub jvm %.0f us, partners"
                                           + " %.0f us, redis %.0f us (all of the run's CPU / messages)%n", messages,
                    cpu.hubNanos / 1e3 / messages, cpu.partnersNanos / 1e3 / messages, cpu.redisNanos / 1e3 / messages);
            Cpu base = "warmup".equals(label) ? null : baselines.get(rate);
            if (base != null) {
                // per claim, so that a run whose submissions failed is not compared by its totals
                double claimsHere = Math.max(1, cpu.claims);
                double claimsThere = Math.max(1, base.claims);
                double perMessage = messages / claimsHere;
                System.out.printf(Locale.ROOT, "   cpu per message over the baseline: hub jvm %+.0f us, partners %+.0f us,"
                                               + " redis %+.0f us (per claim: hub %.0f vs %.0f us, partners %.0f vs %.0f,"
                                               + " redis %.0f vs %.0f; %.2f messages a claim)%n",
                        (cpu.hubNanos / claimsHere - base.hubNanos / claimsThere) / perMessage / 1e3,
                        (cpu.partnersNanos / claimsHere - base.partnersNanos / claimsThere) / perMessage / 1e3,
                        (cpu.redisNanos / claimsHere - base.redisNanos / claimsThere) / perMessage / 1e3,
                        cpu.hubNanos / claimsHere / 1e3, base.hubNanos / claimsThere / 1e3,
                        cpu.partnersNanos / claimsHere / 1e3, base.partnersNanos / claimsThere / 1e3,
                        cpu.redisNanos / claimsHere / 1e3, base.redisNanos / claimsThere / 1e3, perMessage);
            }
        }
    }

    /**
     * Waits until every claim's lifecycle has ended (approved and its payment confirmed by the partner, or failed)
     * and, with the rules on, the partners accepted as many messages per channel as those lifecycles ask for; gives
     * up after {@code bench.tailSeconds} without progress. False if it gave up.
     */
    private boolean awaitLifecycles(Claim[] claims, boolean notify) throws IOException {
        long lastProgress = System.nanoTime();
        long deadline = lastProgress + maxWaitNanos;
        String last = "";
        while (true) {
            int open = 0;
            int approved = 0;
            long[] expected = new long[3];
            for (Claim c : claims) {
                int s = c.state;
                if (s == 0 || s == 1) {
                    open++;
                }
                if (s == 2) {
                    approved++;
                }
                if (s == 2 || s == 1 || s == -2) {
                    boolean full = s == 2;
                    expected[0] += full ? 4 : 2;
                    expected[1] += c.urgent ? (full ? 4 : 2) : 0;
                    expected[2] += full ? 5 : 2;
                }
            }
            String[] counts = partners.command("COUNT").split(" ");
            long email = Long.parseLong(counts[1]);
            long sms = Long.parseLong(counts[2]);
            long webhook = Long.parseLong(counts[3]);
            long confirmed = Long.parseLong(counts[5]);
            boolean done = open == 0 && confirmed >= approved
                           && (!notify || email >= expected[0] && sms >= expected[1] && webhook >= expected[2]);
            if (done) {
                return true;
            }
            String now = open + " " + approved + " " + String.join(" ", counts);
            if (!now.equals(last) && System.nanoTime() <= deadline) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > tailNanos || System.nanoTime() > deadline) {
                System.out.printf(Locale.ROOT, "   gave up waiting (%s): %d lifecycles open, %d approved, %d payments"
                                               + " confirmed; accepted e-mail %d/%d, sms %d/%d, status %d/%d%n",
                        System.nanoTime() > deadline ? maxWaitNanos / 1_000_000_000L + " s after the last submission"
                                : tailNanos / 1_000_000_000L + " s without progress", open, approved, confirmed,
                        email, expected[0], sms, expected[1], webhook, expected[2]);
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    /**
     * The run's messages: what the shipped rules ask for, what the hub queued, what the partners accepted; latency
     * per channel. Returns the messages accepted.
     */
    private long messages(int rate, int runSeconds, long startMillis, long lastDueMillis, Map<String, Event> events,
                          Set<String> ids, Map<String, Boolean> urgentById) throws IOException {
        // what the rules ask for, per event and channel
        Map<String, int[]> expected = new HashMap<>();
        for (Map.Entry<String, Event> e : events.entrySet()) {
            expected.put(e.getKey(), expectedMessages(e.getValue().type, urgentById.getOrDefault(e.getValue().claimId, false)));
        }
        // what the hub queued: key -> message; and per event and channel
        Map<String, Queued> queued = new HashMap<>();
        Map<String, int[]> queuedPerEvent = new HashMap<>();
        long[] queuedTwice = new long[3];
        for (Channel channel : CHANNELS) {
            int c = CHANNELS.indexOf(channel);
            forEachEntry(notificationKeys.outbox(channel), startMillis - 1, entry -> {
                Map<String, String> f = entry.getFields();
                if (!ids.contains(f.get("claimId"))) {
                    return;
                }
                String key = idempotencyKey(f.get("ledgerId"));
                if (queued.put(key, new Queued(channel, f.get("eventId"), f.get("claimId"), entry.getID().getTime())) != null) {
                    queuedTwice[c]++;
                }
                queuedPerEvent.computeIfAbsent(f.get("eventId"), k -> new int[3])[c]++;
            });
        }
        long[] planned = new long[3];
        long eventsOff = 0;
        Set<String> allEvents = new HashSet<>(expected.keySet());
        allEvents.addAll(queuedPerEvent.keySet());
        for (String eventId : allEvents) {
            int[] want = expected.getOrDefault(eventId, new int[3]);
            int[] got = queuedPerEvent.getOrDefault(eventId, new int[3]);
            for (int c = 0; c < 3; c++) {
                planned[c] += want[c];
            }
            if (!java.util.Arrays.equals(want, got)) {
                eventsOff++;
            }
        }
        // what the partners accepted
        Path dump = Files.createTempFile("bench-receipts", ".txt");
        partners.command("DUMP " + dump);
        Histogram[] latency = new Histogram[3];
        Histogram[] toQueued = new Histogram[3];
        Histogram[] toAccepted = new Histogram[3];
        long[] accepted = new long[3];
        long[] doubled = new long[3];
        long[] unexpected = new long[3];
        long[] inWindow = new long[3];
        long[] queuedInWindow = new long[3];
        long[] lastAccepted = new long[3];
        for (int c = 0; c < 3; c++) {
            latency[c] = latencyHistogram();
            toQueued[c] = latencyHistogram();
            toAccepted[c] = latencyHistogram();
        }
        long windowFrom = startMillis + approveAfterNanos / 1_000_000 + 1000;
        long windowTo = lastDueMillis;
        boolean window = windowTo - windowFrom >= 1000;
        Set<String> seen = new HashSet<>();
        for (String line : Files.readAllLines(dump)) {
            String[] p = line.split(" ");
            int c = CHANNELS.indexOf(Channel.fromWire(p[0]).orElseThrow());
            String key = p[1];
            long at = Long.parseLong(p[2]);
            Queued q = queued.get(key);
            if (q == null || q.channel != CHANNELS.get(c)) {
                unexpected[c]++;
                continue;
            }
            if (!seen.add(key)) {
                doubled[c]++;
                continue;
            }
            accepted[c]++;
            lastAccepted[c] = Math.max(lastAccepted[c], at);
            if (at >= windowFrom && at < windowTo) {
                inWindow[c]++;
            }
            Event e = events.get(q.eventId);
            if (e != null) {
                latency[c].recordValue(Math.max(1, (at - e.millis) * 1000));
                toQueued[c].recordValue(Math.max(1, (q.queuedMillis - e.millis) * 1000));
                toAccepted[c].recordValue(Math.max(1, (at - q.queuedMillis) * 1000));
                if (e.millis >= windowFrom && e.millis < windowTo) {
                    queuedInWindow[c]++;
                }
            }
        }
        Files.deleteIfExists(dump);
        long[] queuedCount = new long[3];
        long[] missing = new long[3];
        for (Map.Entry<String, Queued> q : queued.entrySet()) {
            int c = CHANNELS.indexOf(q.getValue().channel);
            queuedCount[c]++;
            if (!seen.contains(q.getKey())) {
                missing[c]++;
            }
        }
        double windowSeconds = window ? (windowTo - windowFrom) / 1000.0 : 0;
        System.out.printf(Locale.ROOT, "   queued as the shipped rules ask: %s; rules ask %d e-mails, %d sms, %d status"
                                       + " updates%n", eventsOff == 0 ? "yes, every event" : eventsOff + " events differ",
                planned[0], planned[1], planned[2]);
        System.out.println(window
                ? String.format(Locale.ROOT, "   steady window %.1f s (from %d ms after the first submission to the last):"
                                             + " messages/s accepted in it vs caused by events in it",
                        windowSeconds, windowFrom - startMillis)
                : "   no steady window (run shorter than approveAfterMillis + 2 s): messages/s over the whole run");
        System.out.println("   channel  queued accepted missing doubled unexpected  msg/s (offered)   event->accepted p50"
                           + "    p99     max ms   event->queued p50/p99   queued->accepted p50/p99   aim p99");
        long total = 0;
        for (int c = 0; c < 3; c++) {
            total += accepted[c];
            double rateOut;
            double offered;
            if (window) {
                rateOut = inWindow[c] / windowSeconds;
                offered = queuedInWindow[c] / windowSeconds;
            } else {
                double span = Math.max(1, lastAccepted[c] - startMillis) / 1000.0;
                rateOut = accepted[c] / span;
                offered = planned[c] / (double) runSeconds;
            }
            double aim = c == 0 ? 1000 : 500;
            String verdict = accepted[c] == 0 ? "-" : (millis(latency[c], 99) < aim ? "met" : "MISSED") + " (<"
                                                      + (int) aim + " ms)";
            System.out.printf(Locale.ROOT, "   %-8s %6d %8d %7d %7d %10d  %6.1f (%6.1f)   %9.1f %7.1f %8.1f   %7.1f / %-8.1f"
                                           + "   %9.1f / %-8.1f   %s%n",
                    CHANNELS.get(c).wireName(), queuedCount[c], accepted[c], missing[c], doubled[c] + queuedTwice[c],
                    unexpected[c], rateOut, offered, millis(latency[c], 50), millis(latency[c], 99),
                    latency[c].getMaxValue() / 1000.0, millis(toQueued[c], 50), millis(toQueued[c], 99),
                    millis(toAccepted[c], 50), millis(toAccepted[c], 99), verdict);
        }
        long lost = java.util.Arrays.stream(missing).sum();
        long twice = java.util.Arrays.stream(doubled).sum() + java.util.Arrays.stream(queuedTwice).sum();
        long stray = java.util.Arrays.stream(unexpected).sum();
        System.out.println(lost + twice + stray == 0 ? "   every queued message accepted exactly once, nothing else"
                : "   NOT exactly once: " + lost + " missing, " + twice + " doubled (one idempotency key accepted twice,"
                  + " e.g. a send the hub timed out on and sent again; the partner is to drop it by its key), " + stray
                  + " unexpected");
        long lastAny = java.util.Arrays.stream(lastAccepted).max().orElse(0);
        System.out.printf(Locale.ROOT, "   last message accepted %.1f s after the last submission was due%n",
                (lastAny - lastDueMillis) / 1000.0);
        return total;
    }

    /** The shipped rules as a table: messages per channel (e-mail, sms, status) an event of this type asks for. */
    private static int[] expectedMessages(String type, boolean urgent) {
        return switch (type) {
            case "claim.submitted", "claim.assigned" -> new int[] {1, urgent ? 1 : 0, 1};
            case "claim.approved", "claim.rejected" -> new int[] {1, urgent ? 2 : 0, 1};
            case "claim.payment.initiated" -> new int[] {0, 0, 1};
            case "claim.payment.completed" -> new int[] {1, 0, 1};
            case "claim.sla.breached" -> new int[] {1, 0, 0};
            default -> new int[3];
        };
    }

    // ------------------------------------------------------------------------------------ the load generator

    private String submission(String tag, int i, boolean urgent) {
        return """
                {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"%s",
                 "description":"Rear-ended at a traffic light on the ring road","amountClaimed":{"amount":1500.00,"currency":"EUR"},
                 "claimant":{"name":"Ada Lovelace","email":"ada-%s-%d@example.com","phone":"+4477009%05d"},
                 "region":"north","priority":"%s"}""".formatted(incidentDate, tag, i, i % 100000, urgent ? "urgent" : "normal");
    }

    /** On the event loop: submits one claim; once accepted, its approval is due approveAfterMillis after its due time. */
    private void submit(Claim claim, Buffer body, AtomicLong retries) {
        RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost(apiBase.getHost())
                .setPort(apiBase.getPort()).setURI("/api/claims").putHeader("Content-Type", "application/json")
                .putHeader("X-API-Key", TestHub.API_KEY).setIdleTimeout(30_000);
        http.request(post).compose(request -> request.send(body))
                .compose(response -> response.body().map(b -> response.statusCode() + " " + b.toString(StandardCharsets.UTF_8)))
                .onComplete(answer -> {
                    Matcher m = answer.succeeded() ? CLAIM_ID.matcher(answer.result()) : null;
                    if (m != null && answer.result().startsWith("202 ") && m.find()) {
                        claim.id = m.group(1);
                        claim.state = 1;
                        long delay = (claim.dueNanos + approveAfterNanos - System.nanoTime()) / 1_000_000;
                        vertx.setTimer(Math.max(1, delay), t -> approve(claim, retries));
                    } else {
                        claim.state = -1;
                        firstErrors.putIfAbsent("submission", answer.succeeded() ? abbreviate(answer.result())
                                : answer.cause().toString());
                    }
                });
    }

    private void approve(Claim claim, AtomicLong retries) {
        claim.approvalAttempts++;
        RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost(apiBase.getHost())
                .setPort(apiBase.getPort()).setURI("/api/claims/" + claim.id + "/events")
                .putHeader("Content-Type", "application/json").putHeader("X-API-Key", TestHub.API_KEY)
                .setIdleTimeout(30_000);
        Buffer body = Buffer.buffer("{\"eventType\":\"claim.approved\",\"data\":{\"approvedAmount\":{\"amount\":1400.00,"
                                    + "\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-B1\"}}");
        http.request(post).compose(request -> request.send(body))
                .compose(response -> response.body().map(b -> response.statusCode() + " " + b.toString(StandardCharsets.UTF_8)))
                .onComplete(answer -> {
                    String result = answer.succeeded() ? answer.result() : null;
                    if (result != null && result.startsWith("202 ")) {
                        claim.state = 2;
                    } else if (result != null && result.startsWith("409 ")
                               && System.nanoTime() - claim.dueNanos < approveAfterNanos + 60_000_000_000L) {
                        retries.incrementAndGet();
                        vertx.setTimer(retryMillis, t -> approve(claim, retries));
                    } else {
                        claim.state = -2;
                        firstErrors.putIfAbsent("approval", result != null ? abbreviate(result) : answer.cause().toString());
                    }
                });
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    // ------------------------------------------------------------------------------------ baseline of the partners

    /**
     * The partners' floor, one message at a time from a bare client in this JVM: e-mails by Jakarta Mail
     * ({@code Transport.send}: connect, send, close, as camel-mail does for every message), and JSON POSTs by the
     * JDK's HTTP client (keep-alive), with the partners' CPU per message.
     */
    private void bareSends(int n) throws Exception {
        partners.command("RESET");
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(partners.smtpPort));
        Session session = Session.getInstance(props);
        String text = "Dear Ada Lovelace,\n\nwe received your claim CLM-XXXXXXXX (auto, 1500.00 EUR, incident "
                      + incidentDate + "). An adjuster will contact you shortly.\n\n".repeat(4) + "Claims Hub\n";
        Histogram mail = latencyHistogram();
        long cpuBefore = partners.cpuNanos();
        for (int i = 0; i < n; i++) {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(MAIL_FROM));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse("bare-" + i + "@example.com"));
            message.setSubject("We received your claim CLM-XXXXXXXX", "UTF-8");
            message.setText(text, "UTF-8");
            long t = System.nanoTime();
            Transport.send(message);
            mail.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
        }
        long mailCpu = partners.cpuNanos() - cpuBefore;
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        Histogram post = latencyHistogram();
        cpuBefore = partners.cpuNanos();
        for (int i = 0; i < n; i++) {
            String json = "{\"claimId\":\"CLM-XXXXXXXX\",\"status\":\"assigned\",\"eventId\":\"" + java.util.UUID.randomUUID()
                          + "\",\"eventType\":\"claim.assigned\",\"claimVersion\":2,\"occurredAt\":\"" + Instant.now() + "\"}";
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(partners.httpBase + "/status"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", "bare-" + i)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build();
            long t = System.nanoTime();
            java.net.http.HttpResponse<String> response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            post.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
            if (response.statusCode() != 204) {
                throw new IllegalStateException("the portal stub answered " + response.statusCode());
            }
        }
        long postCpu = partners.cpuNanos() - cpuBefore;
        String[] counts = partners.command("COUNT").split(" ");
        System.out.printf(Locale.ROOT, "bare sends, %d each, one at a time (the partners' floor): e-mail (new SMTP"
                                       + " connection each) p50 %.2f p99 %.2f max %.2f ms, partners cpu %.0f us/message;"
                                       + " JSON POST (keep-alive) p50 %.2f p99 %.2f max %.2f ms, partners cpu %.0f"
                                       + " us/message; accepted %s e-mails, %s posts  load %s%n", n,
                millis(mail, 50), millis(mail, 99), mail.getMaxValue() / 1000.0, mailCpu / 1e3 / n,
                millis(post, 50), millis(post, 99), post.getMaxValue() / 1000.0, postCpu / 1e3 / n, counts[1], counts[3],
                loadAverage());
        partners.command("RESET");
    }

    // ----------------------------------------------------------------------------------------- Redis and rules

    /** Switches the rules file between the shipped rules and none, and waits until the hub has reloaded it. */
    private void useRules(boolean on) throws IOException {
        int want = on ? shippedRules : 0;
        if (rules.get().rules().size() == want) {
            return;
        }
        Files.writeString(rulesFile, on ? rulesOn : rulesOff);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rules.get().rules().size() != want) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the hub did not reload " + rulesFile + " within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /**
     * Waits until every consumer group of the log, the outboxes and the adapters' work streams has read and
     * acknowledged everything, so that no run starts on the backlog of the one before (nor ends before its own is done).
     */
    private void drain() {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            boolean idle = true;
            try (RedisConnection connection = redis.factory.getConnection()) {
                for (String stream : groupStreams) {
                    byte[] key = stream.getBytes(StandardCharsets.UTF_8);
                    if (!Boolean.TRUE.equals(connection.keyCommands().exists(key))) {
                        continue;
                    }
                    String last = connection.streamCommands().xInfo(key).lastGeneratedId();
                    for (var group : connection.streamCommands().xInfoGroups(key)) {
                        idle &= group.pendingCount() == 0 && last.equals(group.lastDeliveredId());
                    }
                }
            }
            if (idle) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        System.out.println("   groups NOT caught up after 300 s; the next run starts on a backlog");
    }

    /** Dead-letter streams' lengths and the unknown-fate count, to report what a run added. */
    private Map<String, Long> deadLetters() {
        Map<String, Long> counts = new TreeMap<>();
        try (RedisConnection connection = redis.factory.getConnection()) {
            Jedis jedis = (Jedis) connection.getNativeConnection();
            counts.put("log-dlq", jedis.xlen(hub.stream + ":dlq"));
            for (Channel channel : CHANNELS) {
                counts.put(channel.wireName() + "-dlq", jedis.xlen(notificationKeys.deadLetters(channel)));
            }
            counts.put("unknown", jedis.zcard(notificationKeys.unknown()));
        }
        return counts;
    }

    /** The log's events of the run's claims: event id -> append time (entry id ms), type, claim. */
    private Map<String, Event> events(long fromMillis, Set<String> ids) {
        Map<String, Event> events = new HashMap<>();
        forEachEntry(hub.stream, fromMillis, entry -> {
            Map<String, String> f = entry.getFields();
            if (ids.contains(f.get("claimId"))) {
                events.put(f.get("eventId"), new Event(entry.getID().getTime(), f.get("eventType"), f.get("claimId")));
            }
        });
        return events;
    }

    private void forEachEntry(String stream, long fromMillis, java.util.function.Consumer<StreamEntry> action) {
        try (RedisConnection connection = redis.factory.getConnection()) {
            Jedis jedis = (Jedis) connection.getNativeConnection();
            StreamEntryID from = new StreamEntryID(fromMillis, 0);
            while (true) {
                List<StreamEntry> page = jedis.xrange(stream, from, StreamEntryID.MAXIMUM_ID, 5000);
                for (StreamEntry entry : page) {
                    action.accept(entry);
                }
                if (page.size() < 5000) {
                    return;
                }
                StreamEntryID last = page.get(page.size() - 1).getID();
                from = new StreamEntryID(last.getTime(), last.getSequence() + 1);
            }
        }
    }

    private static String callsPerClaim(Map<String, Long> before, Map<String, Long> after, int claims) {
        long total = 0;
        long scripts = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0 && !e.getKey().equals("info")) {
                total += d;
                if (e.getKey().equals("evalsha") || e.getKey().equals("eval")) {
                    scripts += d;
                }
            }
        }
        return String.format(Locale.ROOT, "%.1f (scripts %.1f)", total / (double) claims, scripts / (double) claims);
    }

    /** The message's idempotency key as OutboxMessage derives it: 32 hex digits of SHA-256 of the ledger id. */
    static String idempotencyKey(String ledgerId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(ledgerId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            try {
                hub.close();
            } finally {
                partners.close();
            }
        }
    }

    // ------------------------------------------------------------------------------ the partners' JVM, from here

    /** The partners' JVM as the benchmark drives it: one command a line on its stdin, one answer line ({@code @@ }). */
    private static final class PartnerProcess implements AutoCloseable {
        final Process process;
        final long pid;
        final int smtpPort;
        final String httpBase;
        private final PrintWriter in;
        private final BufferedReader out;
        private final Path log;

        private PartnerProcess(Process process, Path log) throws IOException {
            this.process = process;
            this.pid = process.pid();
            this.log = log;
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String[] ready = answer().split(" ");
            if (!ready[0].equals("READY")) {
                throw new IllegalStateException("partners did not start: " + String.join(" ", ready));
            }
            smtpPort = Integer.parseInt(ready[1]);
            httpBase = "http://127.0.0.1:" + ready[2];
        }

        static PartnerProcess start(Path log) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-cp", classPath(), Partners.class.getName())
                    .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
            PartnerProcess partners = new PartnerProcess(builder.start(), log);
            Runtime.getRuntime().addShutdownHook(new Thread(partners.process::destroy));
            return partners;
        }

        /** The test classpath: exec:java's class loader's URLs, else java.class.path. */
        private static String classPath() {
            ClassLoader loader = NotificationsBenchmark.class.getClassLoader();
            if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
                List<String> entries = new ArrayList<>();
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return String.join(File.pathSeparator, entries);
            }
            return System.getProperty("java.class.path");
        }

        synchronized String command(String line) throws IOException {
            in.println(line);
            return answer();
        }

        long cpuNanos() throws IOException {
            return Long.parseLong(command("CPU").split(" ")[1]);
        }

        private String answer() throws IOException {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("@@ ")) {
                    String answer = line.substring(3);
                    if (answer.startsWith("ERROR")) {
                        throw new IllegalStateException("partners: " + answer);
                    }
                    return answer;
                }
            }
            throw new IllegalStateException("the partners' JVM ended; see " + log);
        }

        @Override
        public void close() {
            try {
                in.println("QUIT");
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The hub's partners, in a JVM of their own: GreenMail SMTP, and WireMock as SMS gateway ({@code /sms}), status
     * portal ({@code /status}) and payment API ({@code /payments}, each payment confirmed at once by a signed callback
     * to the hub). Commands on stdin, answers on stdout prefixed {@code @@ }: {@code HUB <api base> <api key>
     * <callback secret>}, {@code RESET} (forget every message), {@code COUNT} ({@code COUNT <e-mails> <sms> <status
     * updates> <payments> <callbacks confirmed> <callbacks given up>}), {@code DUMP <file>} (a line per accepted
     * message: {@code <channel> <idempotency key> <accepted at, epoch ms>}), {@code CPU} (this JVM's CPU time, ns),
     * {@code QUIT}.
     */
    public static final class Partners {

        private static final Pattern PAYMENT_ID = Pattern.compile("\"paymentId\"\\s*:\\s*\"([^\"]+)\"");
        private static final Pattern MESSAGE_KEY = Pattern.compile("<([0-9a-f]+)@");

        private final GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        private final WireMockServer http = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .disableRequestJournal().stubRequestLoggingDisabled(true));
        private final Queue<String> receipts = new ConcurrentLinkedQueue<>();
        private final AtomicLong sms = new AtomicLong();
        private final AtomicLong status = new AtomicLong();
        private final AtomicLong payments = new AtomicLong();
        private final AtomicLong confirmed = new AtomicLong();
        private final AtomicLong givenUp = new AtomicLong();
        private final ScheduledExecutorService callbacks = Executors.newSingleThreadScheduledExecutor();
        private final java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        private volatile String hubBase;
        private volatile String apiKey;
        private volatile String secret;

        public static void main(String[] args) throws Exception {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
            new Partners().serve();
        }

        private void serve() throws Exception {
            smtp.start();
            http.stubFor(WireMock.post(urlEqualTo("/sms")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("{\"status\":\"queued\"}")));
            http.stubFor(WireMock.post(urlEqualTo("/status")).willReturn(aResponse().withStatus(204)));
            http.stubFor(WireMock.post(urlEqualTo("/payments")).willReturn(aResponse().withStatus(201)
                    .withHeader("Content-Type", "application/json").withBody("{\"status\":\"accepted\"}")));
            http.addMockServiceRequestListener((request, response) -> {
                long now = System.currentTimeMillis();
                if (response.getStatus() >= 300) {
                    return;
                }
                switch (request.getUrl()) {
                    case "/sms" -> {
                        sms.incrementAndGet();
                        receipts.add("sms " + request.getHeader("Idempotency-Key") + " " + now);
                    }
                    case "/status" -> {
                        status.incrementAndGet();
                        receipts.add("webhook " + request.getHeader("Idempotency-Key") + " " + now);
                    }
                    case "/payments" -> {
                        payments.incrementAndGet();
                        Matcher m = PAYMENT_ID.matcher(request.getBodyAsString());
                        if (m.find()) {
                            String paymentId = m.group(1);
                            callbacks.execute(() -> confirm(paymentId, 0));
                        }
                    }
                    default -> {
                    }
                }
            });
            http.start();
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            out.println("@@ READY " + smtp.getSmtp().getPort() + " " + http.port());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = commands.readLine()) != null; ) {
                String[] c = line.trim().split(" ");
                try {
                    switch (c[0]) {
                        case "HUB" -> {
                            hubBase = c[1];
                            apiKey = c[2];
                            secret = c[3];
                            out.println("@@ OK");
                        }
                        case "RESET" -> {
                            smtp.purgeEmailFromAllMailboxes();
                            receipts.clear();
                            sms.set(0);
                            status.set(0);
                            payments.set(0);
                            confirmed.set(0);
                            givenUp.set(0);
                            out.println("@@ OK");
                        }
                        case "COUNT" -> out.println("@@ COUNT " + smtp.getManagers().getImapHostManager().getAllMessages().size()
                                                    + " " + sms.get() + " " + status.get() + " " + payments.get() + " "
                                                    + confirmed.get() + " " + givenUp.get());
                        case "DUMP" -> {
                            long n = 0;
                            try (Writer file = Files.newBufferedWriter(Path.of(c[1]))) {
                                for (StoredMessage m : smtp.getManagers().getImapHostManager().getAllMessages()) {
                                    String id = m.getMimeMessage().getMessageID();
                                    Matcher key = MESSAGE_KEY.matcher(id == null ? "" : id);
                                    file.write("email " + (key.find() ? key.group(1) : "none") + " "
                                               + m.getReceivedDate().getTime() + "\n");
                                    n++;
                                }
                                for (String receipt : receipts) {
                                    file.write(receipt + "\n");
                                    n++;
                                }
                            }
                            out.println("@@ DUMPED " + n);
                        }
                        case "CPU" -> out.println("@@ CPU " + ((com.sun.management.OperatingSystemMXBean)
                                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
                        case "QUIT" -> {
                            out.println("@@ BYE");
                            callbacks.shutdownNow();
                            http.stop();
                            smtp.stop();
                            System.exit(0);
                        }
                        default -> out.println("@@ ERROR unknown command " + c[0]);
                    }
                } catch (Exception e) {
                    out.println("@@ ERROR " + e);
                }
            }
            System.exit(0);
        }

        /** The payment system's signed confirmation; retried every 500 ms (at most 20 times) unless answered 200. */
        private void confirm(String paymentId, int attempt) {
            String body = "{\"paymentId\":\"" + paymentId + "\",\"status\":\"completed\",\"paidAt\":\""
                          + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\",\"reference\":\"BENCH-"
                          + paymentId.hashCode() + "\"}";
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(hubBase + "/api/payments/callback"))
                    .header("Content-Type", "application/json").header("X-API-Key", apiKey)
                    .header("X-Payment-Signature", "sha256=" + hmac(body)).timeout(Duration.ofSeconds(30))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
            client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() == 200) {
                    confirmed.incrementAndGet();
                } else if (attempt < 20) {
                    callbacks.schedule(() -> confirm(paymentId, attempt + 1), 500, TimeUnit.MILLISECONDS);
                } else {
                    givenUp.incrementAndGet();
                }
            });
        }

        private String hmac(String body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
