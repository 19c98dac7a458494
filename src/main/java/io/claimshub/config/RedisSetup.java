package io.claimshub.config;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The hub's Redis: the embedded server when {@code hub.redis.url} is empty, and the one connection factory that the
 * redis-streams component, camel-spring-redis endpoints and the hub's own beans share.
 */
public class RedisSetup implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSetup.class);

    @PropertyInject("hub.redis.url")
    private String url;
    @PropertyInject("hub.redis.embedded.port")
    private int embeddedPort;
    @PropertyInject("hub.redis.embedded.dir")
    private String embeddedDir;
    @PropertyInject("hub.redis.embedded.appendfsync")
    private String embeddedAppendFsync;
    @PropertyInject("hub.redis.sentinel.master")
    private String sentinelMaster;
    @PropertyInject("hub.redis.sentinel.nodes")
    private String sentinelNodes;
    @PropertyInject("hub.redis.timeout")
    private long timeoutMillis;
    @PropertyInject("hub.redis.pool-size")
    private int poolSize;
    @PropertyInject("hub.redis.tls.ca-file")
    private String tlsCaFile;
    @PropertyInject("hub.redis.tls.cert-file")
    private String tlsCertFile;
    @PropertyInject("hub.redis.tls.key-file")
    private String tlsKeyFile;
    @PropertyInject("hub.redis.tls.verify-hostname")
    private boolean tlsVerifyHostname;

    private RedisConnectionSettings settings;
    private JedisConnectionFactory factory;

    @BindToRegistry("redisConnectionFactory")
    public synchronized JedisConnectionFactory redisConnectionFactory(CamelContext camelContext) throws Exception {
        if (factory != null) {
            return factory; // Camel also calls this method to resolve the other beans' parameters
        }
        String effectiveUrl = url;
        if (effectiveUrl == null || effectiveUrl.isBlank()) {
            EmbeddedRedis embedded = new EmbeddedRedis(embeddedPort, Path.of(embeddedDir), embeddedAppendFsync);
            embedded.start();
            camelContext.addService(embedded, true, false);
            effectiveUrl = embedded.url();
        }
        settings = RedisConnectionSettings.parse(effectiveUrl, sentinelMaster, sentinelNodes,
                Duration.ofMillis(timeoutMillis), poolSize);
        LOG.info("Redis: {}", settings.describe());
        JedisConnectionFactory created = RedisConnectionFactories.jedis(settings,
                new RedisTls(tlsCaFile, tlsCertFile, tlsKeyFile, tlsVerifyHostname));
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                created.destroy();
            }
        }, true, false);
        factory = created;
        return factory;
    }

    /** For camel-spring-redis endpoints ({@code spring-redis:...?redisTemplate=#redisTemplate}): plain string keys and values. */
    @BindToRegistry("redisTemplate")
    public StringRedisTemplate redisTemplate(JedisConnectionFactory redisConnectionFactory) {
        return new StringRedisTemplate(redisConnectionFactory);
    }

    @BindToRegistry("redisHealthCheck")
    public HealthCheck redisHealthCheck(JedisConnectionFactory redisConnectionFactory) {
        return new RedisHealthCheck(redisConnectionFactory, settings.describe());
    }
}
