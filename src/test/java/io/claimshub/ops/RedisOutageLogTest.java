package io.claimshub.ops;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The whole hub's log while its Redis is down: the consumer groups keep reconnecting and the SLA check keeps
 * failing, yet each kind of failure is a line now and then (with a count), never a stack trace.
 * Not repeated against Redis 7 in CI: it stops an embedded Redis of its own, whatever REDIS_URL says.
 */
class RedisOutageLogTest {

    // every consumer group of the hub, the one handing replayed entries to their group included
    private static final List<String> GROUPS = List.of("processors", "analytics", "notifications", "integrations", "ops-replay",
            "integrations-policy", "integrations-payments", "notification-email", "notification-sms", "notification-webhook");
    // the consumers reading: one per group, a second one of processors (hub.processors.threads = 2), and the channels'
    // further senders (hub.notifications.<channel>.senders = 4 for e-mail, 2 for SMS)
    private static final int CONSUMERS = GROUPS.size() + 1 + 3 + 1;
    // one line per kind and consumer per interval; the outage below is shorter than two intervals
    private static final int MOST_LINES_PER_KIND = 2 * CONSUMERS;

    @TempDir
    Path dataDir;
    private RedisServer redis;
    private TestHub hub;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void startHubOnItsOwnRedis() throws Exception {
        int port = TestRedis.freePort();
        redis = TestRedis.newPrivateServer(port, dataDir);
        redis.start();
        hub = TestHub.start(withPolicyCheck(Map.of(
                "hub.redis.url", "redis://127.0.0.1:" + port,
                "hub.redis.timeout", "1000",
                "hub.consumer.block", "200",
                "hub.sla.check-interval", "100",
                "hub.events.stream", TestRedis.uniqueKey("outage-log-events"),
                "hub.consumer.name", "outage-log",
                "hub.ingest.dir", inbox().toString(),
                "hub.ingest.poll-delay", "100",
                "hub.ingest.read-lock-check-interval", "100",
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml"))));
    }

    /** Every group reading, the policy adapter's included (test hubs have it off). */
    private static Map<String, String> withPolicyCheck(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("hub.policy.enabled", "true");
        return all;
    }

    private Path inbox() throws Exception {
        Path inbox = java.nio.file.Files.createDirectories(dataDir.resolve("inbox"));
        java.nio.file.Files.writeString(inbox.resolve("claims.jsonl"), "{\"claimType\":\"auto\"}\n");
        return inbox;
    }

    @AfterEach
    void stop() throws Exception {
        root.detachAppender(log);
        if (hub != null) {
            hub.close();
        }
        redis.stop();
    }

    @Test
    void whileRedisIsDownEachKindOfFailureIsAFewLinesWithoutStackTraces() throws Exception {
        // given the whole log captured, and Redis gone
        log.start();
        root.addAppender(log);
        NotifyBuilder slaChecks = new NotifyBuilder(hub.context()).fromRoute("sla-check").whenDone(10).and().fromRoute("file-ingest").whenDone(5).create();
        redis.stop();

        // when every consumer has failed to reconnect several times and the SLA check has failed ten times
        await().atMost(Duration.ofSeconds(30)).until(() -> slaChecks.matches() && GROUPS.stream()
                .allMatch(group -> failures(group) >= 4));
        root.detachAppender(log);

        // expect no stack trace, and a bounded number of lines of each kind
        List<ILoggingEvent> lines = new ArrayList<>(log.list).stream()
                .filter(line -> line.getLevel().isGreaterOrEqual(Level.INFO)).toList();
        assertThat(lines).allSatisfy(line -> assertThat(line.getThrowableProxy())
                .as("stack trace of %s: %s", line.getLoggerName(), line.getFormattedMessage()).isNull());
        Map<String, Long> perKind = lines.stream().collect(Collectors.groupingBy(
                line -> line.getLoggerName() + ": " + line.getMessage(), Collectors.counting()));
        assertThat(perKind).allSatisfy((kind, count) -> assertThat(count).as(kind).isLessThanOrEqualTo(MOST_LINES_PER_KIND));
    }

    /** The failed attempts of the group's consumer, as its health check reports them. */
    private int failures(String group) {
        return HealthCheckHelper.invoke(hub.context()).stream()
                .filter(result -> result.getCheck().getId().equals("consumer:" + group))
                .filter(result -> result.getState() == HealthCheck.State.DOWN)
                .mapToInt(result -> ((Number) result.getDetails().getOrDefault("failures", 0)).intValue())
                .max().orElse(0);
    }
}
