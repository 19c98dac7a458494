package io.claimshub.config;

import java.util.HashSet;

import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import redis.clients.jedis.JedisPoolConfig;

/**
 * Builds the spring-data-redis connection factory (Jedis, pooled) that every Redis user in the hub shares.
 */
public final class RedisConnectionFactories {

    private RedisConnectionFactories() {
    }

    public static JedisConnectionFactory jedis(RedisConnectionSettings settings) {
        return jedis(settings, RedisTls.defaults());
    }

    /**
     * The factory for these settings; with a {@code rediss://} URL, TLS as {@code tls} says (CA file, client
     * certificate, hostname verification). Through Sentinel, the Sentinels' connections use the same TLS settings.
     */
    public static JedisConnectionFactory jedis(RedisConnectionSettings settings, RedisTls tls) {
        if (tls.configured() && !settings.ssl()) {
            throw new IllegalArgumentException("hub.redis.tls.* files are set but hub.redis.url is not rediss://");
        }
        JedisPoolConfig pool = new JedisPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setMinIdle(0);
        // fail with a clear error rather than hang when every connection is in use
        pool.setMaxWait(settings.timeout());
        JedisClientConfiguration.JedisClientConfigurationBuilder client = JedisClientConfiguration.builder()
                .clientName("claims-hub")
                .connectTimeout(settings.timeout())
                .readTimeout(settings.timeout());
        client.usePooling().poolConfig(pool);
        if (settings.ssl()) {
            client.useSsl().sslSocketFactory(tls.socketFactory()).sslParameters(tls.parameters());
        }
        JedisClientConfiguration clientConfiguration = client.build();
        JedisConnectionFactory factory = settings.usesSentinel()
                ? new JedisConnectionFactory(sentinel(settings), clientConfiguration)
                : new JedisConnectionFactory(standalone(settings), clientConfiguration);
        factory.afterPropertiesSet();
        return factory;
    }

    private static RedisSentinelConfiguration sentinel(RedisConnectionSettings settings) {
        RedisSentinelConfiguration sentinel = new RedisSentinelConfiguration(settings.sentinelMaster(),
                new HashSet<>(settings.sentinelNodes()));
        sentinel.setDatabase(settings.database());
        sentinel.setUsername(settings.username());
        sentinel.setPassword(password(settings));
        return sentinel;
    }

    private static RedisStandaloneConfiguration standalone(RedisConnectionSettings settings) {
        RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration(settings.host(), settings.port());
        standalone.setDatabase(settings.database());
        standalone.setUsername(settings.username());
        standalone.setPassword(password(settings));
        return standalone;
    }

    private static RedisPassword password(RedisConnectionSettings settings) {
        return settings.password() == null ? RedisPassword.none() : RedisPassword.of(settings.password());
    }
}
