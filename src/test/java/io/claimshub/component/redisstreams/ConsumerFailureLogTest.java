package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The consumer's failures on a clock the test moves: one line per kind per interval, the repeats counted in the next.
 */
class ConsumerFailureLogTest {

    private final Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("test.consumer-failures");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();
    private final ConsumerFailureLog failures = new ConsumerFailureLog(logger, 10_000, now::get);

    @BeforeEach
    void capture() {
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void aFailureRepeatedWithinTheIntervalIsCountedAndTheCountGoesWithTheNextLine() {
        Exception down = new IllegalStateException("wrapped", new java.net.ConnectException("Connection refused"));

        for (int i = 0; i < 50; i++) {
            failures.handleException("Error reading stream s in group g", down);
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(11));
        failures.handleException("Error reading stream s in group g", down);

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Error reading stream s in group g: ConnectException: Connection refused; repeats within 10 s are counted, not logged",
                "Error reading stream s in group g: ConnectException: Connection refused; 49 more like it since the last such line");
        assertThat(lines.list).allSatisfy(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getThrowableProxy()).isNull();
        });
    }

    @Test
    void eachKindAndRootCauseHasItsOwnLineAndAnEntrysErrorTextStaysOutOfTheLog() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());

        failures.handleException("Error reading stream s in group g", new java.net.ConnectException("refused"));
        failures.record("connect", "Consumer c-1 cannot reach stream s (attempt 1)", new java.net.ConnectException("refused"), true);
        failures.handleException("Entry 1-0 of s failed in group g", exchange,
                new IllegalArgumentException("claimant jane@example.com unknown"));
        failures.handleException("Entry 2-0 of s failed in group g", exchange, new IllegalStateException("timed out"));
        failures.handleException("Entry 3-0 of s failed in group g", exchange, new IllegalStateException("timed out"));

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Error reading stream s in group g: ConnectException: refused; repeats within 10 s are counted, not logged",
                "Consumer c-1 cannot reach stream s (attempt 1): ConnectException: refused; repeats within 10 s are counted, not logged",
                "Entry 1-0 of s failed in group g: IllegalArgumentException; repeats within 10 s are counted, not logged",
                "Entry 2-0 of s failed in group g: IllegalStateException; repeats within 10 s are counted, not logged");
    }
}
