package io.claimshub.component.redisstreams;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN while any consumer thread cannot reach Redis or read its group, with the last error.
 */
final class RedisStreamsConsumerHealthCheck extends AbstractHealthCheck {

    private final RedisStreamsConsumer consumer;

    RedisStreamsConsumerHealthCheck(RedisStreamsConsumer consumer, String routeId) {
        super("camel", "consumer:" + routeId);
        this.consumer = consumer;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        RedisStreamsConfiguration configuration = consumer.configuration();
        builder.detail("stream", configuration.getStreamKey());
        builder.detail("group", configuration.getGroup());
        builder.up();
        for (RedisStreamsFetchTask task : consumer.tasks()) {
            Throwable error = task.lastError();
            if (error != null) {
                builder.down();
                builder.message("Consumer " + task.consumerName() + " cannot read: " + error.getMessage());
                builder.error(error);
                builder.detail("failures", task.consecutiveFailures());
            }
        }
    }
}
