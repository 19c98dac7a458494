package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.component.redisstreams.DeadLetterFields;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.testsupport.HubRoutesTestSupport;
import io.claimshub.testsupport.TestRedis;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The real processors route and its dead-letter channel (the YAML files the hub loads): an event the route keeps
 * failing on is redelivered, then written to the dead-letter stream with the reason and acknowledged.
 */
@Tag("redis")
class DeadLetterChannelTest extends HubRoutesTestSupport {

    private final String stream = TestRedis.uniqueKey("events");
    private final String deadLetters = stream + ":dlq";
    private final StringRedisTemplate redis = TestRedis.template();
    private final FailingWork work = new FailingWork();

    /** Stands in for the processors' work: always fails, as a partner system that keeps timing out. */
    public static final class FailingWork {
        final AtomicInteger attempts = new AtomicInteger();

        public void onEvent(Map<String, String> entry, String entryId) {
            attempts.incrementAndGet();
            throw new IllegalStateException("policy system timed out for claim " + entry.get("claimId"));
        }

        /** The route's filter: every entry is processed. */
        public boolean isOutstanding(Map<String, String> entry, String entryId) {
            return true;
        }

        /** The route's second step (never reached: the first one fails). */
        public void onCaughtUp(Object claim) {
            throw new IllegalStateException("not reached");
        }
    }

    /** The hub's YAML: the processors route and its dead-letter channel. */
    @Override
    protected List<String> hubRouteFiles() {
        return List.of("configuration/dead-letter-channel", "ops/dead-letter", "processing/processors",
                "templates/consumer-group");
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("hub.consumer.name", "test", "hub.retry.max-redeliveries", "2", "hub.retry.delay", "10");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("redisConnectionFactory", TestRedis.connectionFactory());
        registry.bind("deadLetterDescription", new DeadLetterDescription());
    }

    @BeforeEach
    void useOwnStream() {
        context.getPropertiesComponent().addOverrideProperty("hub.events.stream", stream);
    }

    /** Starts the routes with the given work as the processors' snapshot step. */
    private void startWith(Object processorsWork) {
        context.getRegistry().bind("claimSnapshots", processorsWork);
        // the route's later step; never reached, since the first one fails
        context.getRegistry().bind("claimAssignment", new FailingWork());
        context.start();
    }

    /**
     * Runs the routes on an entry for {@code claimId} with a dead-letter key that cannot take it, until the route has
     * given up and the entry stays pending; answers what {@code loggerName} logged meanwhile.
     */
    private List<ILoggingEvent> logOfAFailedDeadLetterWrite(String loggerName, String claimId) {
        redis.opsForValue().set(deadLetters, "not a stream");
        redis.opsForStream().add(stream, Map.of("eventType", "claim.submitted", "claimId", claimId));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(loggerName);
        log.start();
        logger.addAppender(log);
        try {
            startWith(work);
            await().atMost(Duration.ofSeconds(20)).until(() -> work.attempts.get() >= 3);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> pending() == 1);
        } finally {
            logger.detachAppender(log);
        }
        return log.list;
    }

    @AfterEach
    void stop() {
        context.stop();
        redis.delete(List.of(stream, deadLetters));
    }

    @Test
    void anEventTheRouteKeepsFailingOnIsDeadLetteredWithTheReasonAndAcknowledged() throws Exception {
        // given an event on the log
        String id = redis.opsForStream().add(stream, Map.of("eventType", "claim.submitted", "claimId", "CLM-0000DLQ1"))
                .getValue();

        // when the processors route fails on it every time
        startWith(work);

        // expect 1 delivery + 2 redeliveries, then a dead letter naming the group, the entry and the error
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.opsForStream().size(deadLetters) == 1);
        Map<Object, Object> deadLetter = redis.opsForStream().range(deadLetters, Range.unbounded()).get(0).getValue();
        assertThat(deadLetter)
                .containsEntry(DeadLetterFields.GROUP, "processors")
                .containsEntry(DeadLetterFields.SOURCE_STREAM, stream)
                .containsEntry(DeadLetterFields.ENTRY_ID, id)
                .containsEntry(DeadLetterFields.REASON, "redeliveries-exhausted")
                .containsEntry("eventType", "claim.submitted")
                .containsEntry("claimId", "CLM-0000DLQ1");
        assertThat((String) deadLetter.get(DeadLetterFields.ERROR)).contains("policy system timed out");
        assertThat(work.attempts.get()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
    }

    @Test
    void aDeadLetterKeepsTheEventsReferenceFieldsAndTheStartOfAPayloadOverTheCap() throws Exception {
        // given an event with a 1 MB payload, and dead letters capped at 4 KiB
        context.getRegistry().bind("deadLetterDescription", new DeadLetterDescription(4096));
        String payload = "{\"note\":\"" + "0123456789abcdef".repeat(62_500) + "\"}";
        String id = redis.opsForStream().add(stream, Map.of("eventType", "claim.submitted", "claimId", "CLM-0000DLQ3",
                "eventId", "e-3", "data", payload)).getValue();

        // when the processors route fails on it every time
        startWith(work);

        // expect a small dead letter that still names the entry, the claim and the event, with the payload's start
        // and its full size
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.opsForStream().size(deadLetters) == 1);
        Map<Object, Object> deadLetter = redis.opsForStream().range(deadLetters, Range.unbounded()).get(0).getValue();
        assertThat(deadLetter)
                .containsEntry(DeadLetterFields.ENTRY_ID, id)
                .containsEntry(DeadLetterFields.GROUP, "processors")
                .containsEntry("claimId", "CLM-0000DLQ3")
                .containsEntry("eventId", "e-3")
                .containsEntry(DeadLetterFields.TRUNCATED, "data:" + payload.length())
                .doesNotContainKey(DeadLetterFields.OMITTED);
        assertThat(payload).startsWith((String) deadLetter.get("data"));
        assertThat(((String) deadLetter.get("data")).length()).isGreaterThan(4096 - 300);
        assertThat(deadLetter.values().stream().mapToInt(v -> ((String) v).length()).sum())
                .isLessThanOrEqualTo(4096 + 2048);
    }

    @Test
    void theDeadLetterRouteTrimsTheDeadLetterStreamToAboutTheConfiguredLength() throws Exception {
        // given a dead-letter stream already holding 1,000 entries, limited to about 10
        context.getPropertiesComponent().addOverrideProperty("hub.dead-letter.max-entries", "10");
        for (int i = 0; i < 1000; i++) {
            redis.opsForStream().add(deadLetters, Map.of("junk", Integer.toString(i)));
        }
        String id = redis.opsForStream().add(stream, Map.of("eventType", "claim.submitted", "claimId", "CLM-0000DLQ4"))
                .getValue();

        // when the processors route fails on an event every time
        startWith(work);

        // expect its dead letter written and the stream trimmed with it (~: whole nodes of at most 100 entries go)
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.opsForStream().range(deadLetters, Range.unbounded())
                .stream().anyMatch(e -> id.equals(e.getValue().get(DeadLetterFields.ENTRY_ID))));
        assertThat(redis.opsForStream().size(deadLetters)).isBetween(10L, 200L);
    }

    @Test
    void anEventStaysPendingWhenEvenTheDeadLetterWriteFails() throws Exception {
        // given a dead-letter key that cannot take an entry
        redis.opsForValue().set(deadLetters, "not a stream");
        redis.opsForStream().add(stream, Map.of("eventType", "claim.submitted", "claimId", "CLM-0000DLQ2"));

        startWith(work);

        // expect the event left pending (not acknowledged) once the route has given up on it
        await().atMost(Duration.ofSeconds(20)).until(() -> work.attempts.get() >= 3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> pending() == 1);
    }

    @Test
    void aFailedDeadLetterWriteIsNotLoggedAgainWithAStackTraceByTheDeadLetterRoute() throws Exception {
        // given a dead-letter key that cannot take an entry, and the routes' own error handlers' log captured
        // when the route gives up on an event and its dead-letter write fails
        List<ILoggingEvent> log = logOfAFailedDeadLetterWrite(
                "org.apache.camel.processor.errorhandler.DefaultErrorHandler", "CLM-0000DLQ5");

        // expect the failure left to the dead-letter channel that called the route, not logged there a second time
        assertThat(log).isEmpty();
    }

    @Test
    void aFailedDeadLetterWriteLogsNoStackTraceAnywhere() throws Exception {
        // given a dead-letter key that cannot take an entry, and the whole log captured
        // when the route gives up on an event and its dead-letter write fails
        List<ILoggingEvent> log = logOfAFailedDeadLetterWrite(Logger.ROOT_LOGGER_NAME, "CLM-0000DLQ6");

        // expect the failure told in lines of their own, each stack trace kept for DEBUG (an outage fails every
        // entry in flight this way at once)
        assertThat(log).filteredOn(event -> event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                .filteredOn(event -> event.getThrowableProxy() != null)
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void aForeignEntryThatIsNotInTheClaimsStreamIsDeadLetteredAtOnceWithTheReason() throws Exception {
        // given the real snapshot work, and an event XADDed straight to the log by a foreign producer
        ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), stream);
        ClaimSnapshots snapshots = new ClaimSnapshots(TestRedis.connectionFactory(), store, new ClaimLifecycle());
        Map<String, String> foreign = StreamEntryCodec.encode(EventEnvelope.of("CLM-FOREIGN1", Instant.now(), ClaimEventFixtures.submission()), 1);
        redis.opsForStream().add(stream, foreign);

        startWith(snapshots);

        // expect it dead-lettered without redeliveries, saying why, and acknowledged
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.opsForStream().size(deadLetters) == 1);
        Map<Object, Object> deadLetter = redis.opsForStream().range(deadLetters, Range.unbounded()).get(0).getValue();
        assertThat((String) deadLetter.get(DeadLetterFields.ERROR)).contains("not in the claim's stream");
        assertThat(deadLetter).containsEntry("claimId", "CLM-FOREIGN1").containsEntry(DeadLetterFields.GROUP, "processors");
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
    }

    @Test
    void anInvalidEventDeadLetteredOnItsFirstDeliverySaysSoAndIsLoggedAtWarn() throws Exception {
        // given the real snapshot work, the dead-lettering log captured, and an entry that is no claim event
        ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), stream);
        ClaimSnapshots snapshots = new ClaimSnapshots(TestRedis.connectionFactory(), store, new ClaimLifecycle());
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger opsLog = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.claimshub.ops");
        log.start();
        opsLog.addAppender(log);
        Map<String, String> foreign = StreamEntryCodec.encode(EventEnvelope.of("CLM-FOREIGN2", Instant.now(),
                ClaimEventFixtures.submission()), 1);
        String id = redis.opsForStream().add(stream, foreign).getValue();
        try {
            startWith(snapshots);

            // expect it dead-lettered as an invalid event, not as one whose redeliveries ran out, with a warning
            await().atMost(Duration.ofSeconds(20)).until(() -> redis.opsForStream().size(deadLetters) == 1);
            Map<Object, Object> deadLetter = redis.opsForStream().range(deadLetters, Range.unbounded()).get(0).getValue();
            assertThat(deadLetter).containsEntry(DeadLetterFields.REASON, "invalid-event");
            await().atMost(Duration.ofSeconds(5)).until(() -> log.list.stream().anyMatch(line ->
                    line.getLevel() == Level.WARN && line.getFormattedMessage().contains(id)
                            && line.getFormattedMessage().contains("invalid-event")));
        } finally {
            opsLog.detachAppender(log);
        }
    }

    private long pending() {
        try (RedisConnection c = TestRedis.connectionFactory().getConnection()) {
            List<?> summary = (List<?>) c.execute("XPENDING", bytes(stream), bytes("processors"));
            return (Long) summary.get(0);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
