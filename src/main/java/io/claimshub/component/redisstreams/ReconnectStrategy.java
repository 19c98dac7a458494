package io.claimshub.component.redisstreams;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.support.task.ForegroundTask;
import org.apache.camel.support.task.Tasks;
import org.apache.camel.support.task.budget.Budgets;

/**
 * What a group consumer does about a failed read or connection: count it, remember it for the health check, notice a
 * deleted group, and reconnect with an exponential back-off (Camel's {@link Tasks}) while Redis is unreachable. Every
 * failure ends the connection; the fetch loop reconnects before its next read.
 */
final class ReconnectStrategy {

    private final RedisStreamsConfiguration configuration;
    private volatile Throwable lastError;
    private volatile int consecutiveFailures;
    private boolean groupLost;

    ReconnectStrategy(RedisStreamsConfiguration configuration) {
        this.configuration = configuration;
    }

    Throwable lastError() {
        return lastError;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The group was deleted under the consumer: recreate it from the stream's beginning. */
    boolean groupLost() {
        return groupLost;
    }

    void failed(Throwable e) {
        consecutiveFailures++;
        lastError = e;
        if (RedisErrors.isNoGroup(e)) {
            groupLost = true;
        }
    }

    void connected() {
        groupLost = false;
    }

    void batchSucceeded() {
        lastError = null;
        consecutiveFailures = 0;
    }

    /**
     * Attempts {@code connect} until it succeeds or {@code stopped} says so, the delay before each attempt growing
     * with every failure since the last good batch (so an error that strikes right after each reconnect backs off too).
     */
    void reconnect(CamelContext context, String name, BooleanSupplier stopped, BooleanSupplier connect) {
        ForegroundTask task = Tasks.foregroundTask()
                .withName("redis-streams-reconnect-" + name)
                .withBudget(Budgets.iterationBudget()
                        .withInitialDelay(Duration.ofMillis(backOff(consecutiveFailures)))
                        .withInterval(Duration.ofMillis(configuration.getReconnectDelay()))
                        .withBackOffStrategy(iteration -> backOff(consecutiveFailures))
                        .withUnlimitedMaxIterations()
                        .build())
                .build();
        task.run(context, () -> stopped.getAsBoolean() || connect.getAsBoolean());
    }

    /** {@code reconnectDelay} doubled per failure after the first, at most {@code reconnectMaxDelay}; 0 without failure. */
    long backOff(int failures) {
        if (failures == 0) {
            return 0;
        }
        return Math.min(configuration.getReconnectMaxDelay(), configuration.getReconnectDelay() << Math.min(failures - 1, 20));
    }
}
