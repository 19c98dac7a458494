package io.claimshub.config;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Readiness of the hub's Redis: a PING over the shared connection factory.
 */
public final class RedisHealthCheck extends AbstractHealthCheck {

    private final RedisConnectionFactory connectionFactory;
    private final String target;

    public RedisHealthCheck(RedisConnectionFactory connectionFactory, String target) {
        super("hub", "redis");
        this.connectionFactory = connectionFactory;
        this.target = target;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("redis", target);
        try (RedisConnection connection = connectionFactory.getConnection()) {
            connection.ping();
            builder.up();
        } catch (RuntimeException e) {
            builder.down().message("Redis does not answer: " + e.getMessage()).error(e);
        }
    }
}
