package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisDataException;

/** A burst of the same failure is one line, then one line with the count of the rest; stack traces at DEBUG only. */
class FailureLogTest {

    private final Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("test.failure-log");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final FailureLog failures = new FailureLog(logger, Duration.ofMillis(300));

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void aBurstOfOneKindIsOneLineAndThenItsCount() {
        // when
        for (int i = 0; i < 50; i++) {
            failures.record("store unavailable", "request " + i, new IllegalStateException("connection refused"));
        }
        failures.record("another kind", "request 50", new IllegalArgumentException("bad"));

        // expect the first of each kind at once, then one line with the count of the others
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() == 3);
        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages.get(0)).contains("store unavailable", "request 0", "IllegalStateException");
        assertThat(messages.get(1)).contains("another kind", "request 50");
        assertThat(messages.get(2)).contains("store unavailable", "49 more");
        assertThat(lines.list).allSatisfy(line -> assertThat(line.getThrowableProxy()).isNull());
    }

    @Test
    void aFailuresMessageIsLoggedAtDebugOnlyAsItMayHoldSecretsOrData() {
        logger.setLevel(Level.DEBUG);

        failures.record("store unavailable", "request 1",
                new IllegalStateException("wrapped", new IllegalArgumentException("redis password is s3cret")));
        failures.recordEach("request failed", "correlation id 42",
                new IllegalStateException("claimant jane@example.org"));

        List<ILoggingEvent> infoAndUp = lines.list.stream().filter(line -> line.getLevel().isGreaterOrEqual(Level.INFO))
                .toList();
        assertThat(infoAndUp).hasSize(2);
        assertThat(infoAndUp.get(0).getFormattedMessage()).contains("IllegalArgumentException")
                .doesNotContain("s3cret", "password");
        assertThat(infoAndUp.get(1).getFormattedMessage()).contains("correlation id 42", "IllegalStateException")
                .doesNotContain("jane", "example.org");
        assertThat(infoAndUp).allSatisfy(line -> assertThat(line.getThrowableProxy()).isNull());
        assertThat(lines.list).anySatisfy(line -> assertThat(line.getLevel()).isEqualTo(Level.DEBUG));
    }

    @Test
    void aRedisErrorReplyIsNamedByItsCodeAlone() {
        failures.record("store busy", "request 1",
                new JedisDataException("LOADING Redis is loading the dataset in memory with key claim:{CLM-1}"));

        assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .contains("JedisDataException LOADING").doesNotContain("CLM-1", "dataset"));
    }

    @Test
    void stackTracesGoToDebug() {
        logger.setLevel(Level.DEBUG);

        failures.record("store unavailable", "request 1", new IllegalStateException("connection refused"));

        assertThat(lines.list).anySatisfy(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(line.getThrowableProxy()).isNotNull();
        });
    }
}
