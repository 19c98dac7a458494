package io.claimshub.store;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The one way the hub's beans make a {@link StringRedisTemplate} on the shared connection factory. */
public final class RedisTemplates {

    private RedisTemplates() {
    }

    /**
     * A template whose callbacks (pipelines, Lua scripts) get the pooled connection itself. spring-data-redis's
     * default wraps the connection in a new JDK proxy on every callback, only to stop the callback from closing it;
     * building that proxy (reflection over the connection's interfaces) cost more CPU than the Redis command it
     * carried. None of the hub's callbacks close their connection.
     */
    public static StringRedisTemplate strings(RedisConnectionFactory connectionFactory) {
        StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
        template.setExposeConnection(true);
        template.afterPropertiesSet();
        return template;
    }
}
