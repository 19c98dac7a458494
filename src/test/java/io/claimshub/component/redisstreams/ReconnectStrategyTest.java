package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The back-off and failure bookkeeping of a group consumer, without Redis.
 */
class ReconnectStrategyTest {

    private final RedisStreamsConfiguration configuration = new RedisStreamsConfiguration();
    private final ReconnectStrategy strategy = new ReconnectStrategy(configuration);

    @Test
    void theDelayDoublesWithEveryFailureUpToTheLongestDelay() {
        configuration.setReconnectDelay(100);
        configuration.setReconnectMaxDelay(1000);

        assertThat(strategy.backOff(0)).isZero();
        assertThat(strategy.backOff(1)).isEqualTo(100);
        assertThat(strategy.backOff(2)).isEqualTo(200);
        assertThat(strategy.backOff(4)).isEqualTo(800);
        assertThat(strategy.backOff(5)).isEqualTo(1000);
        assertThat(strategy.backOff(500)).isEqualTo(1000);
    }

    @Test
    void failuresAreCountedUntilABatchSucceedsAndADeletedGroupIsNoticedUntilReconnected() {
        strategy.failed(new IllegalStateException("connection refused"));
        strategy.failed(new IllegalStateException("NOGROUP No such key 's' or consumer group 'g'"));

        assertThat(strategy.consecutiveFailures()).isEqualTo(2);
        assertThat(strategy.lastError()).hasMessageStartingWith("NOGROUP");
        assertThat(strategy.groupLost()).isTrue();

        strategy.connected();
        strategy.batchSucceeded();
        assertThat(strategy.groupLost()).isFalse();
        assertThat(strategy.consecutiveFailures()).isZero();
        assertThat(strategy.lastError()).isNull();
    }

    @Test
    void reconnectTriesUntilTheConnectionSucceeds() throws Exception {
        configuration.setReconnectDelay(1);
        configuration.setReconnectMaxDelay(5);
        AtomicInteger attempts = new AtomicInteger();
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            strategy.reconnect(context, "c-1", () -> false, () -> {
                if (attempts.incrementAndGet() < 3) {
                    strategy.failed(new IllegalStateException("connection refused"));
                    return false;
                }
                return true;
            });
        }
        assertThat(attempts).hasValue(3);
        assertThat(strategy.consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void reconnectGivesUpWhenTheConsumerStops() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            strategy.reconnect(context, "c-1", () -> true, () -> attempts.incrementAndGet() > 0);
        }
        assertThat(attempts).hasValue(0);
    }
}
