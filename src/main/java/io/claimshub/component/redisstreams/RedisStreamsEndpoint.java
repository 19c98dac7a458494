package io.claimshub.component.redisstreams;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.ObjectHelper;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * Consume a Redis stream in a consumer group (acknowledging each entry once its exchange completed) or append to it.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "redis-streams", title = "Redis Streams", syntax = "redis-streams:streamKey",
             category = { Category.MESSAGING }, headersClass = RedisStreamsConstants.class)
public class RedisStreamsEndpoint extends DefaultEndpoint {

    @UriParam
    private final RedisStreamsConfiguration configuration;
    @UriParam(label = "advanced", description = "The spring-data-redis connection factory; defaults to the component's.")
    @Metadata(autowired = true)
    private RedisConnectionFactory connectionFactory;

    public RedisStreamsEndpoint(String uri, RedisStreamsComponent component, RedisStreamsConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public RedisStreamsComponent getComponent() {
        return (RedisStreamsComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        requireConnectionFactory();
        return new RedisStreamsProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        requireConnectionFactory();
        ObjectHelper.notNull(configuration.getGroup(), "group", this);
        if (configuration.getConcurrentConsumers() < 1 || configuration.getCount() < 1 || configuration.getMaxDeliveries() < 1) {
            throw new IllegalArgumentException("concurrentConsumers, count and maxDeliveries must be at least 1 on " + this);
        }
        if (configuration.getBlock() < 1) {
            // without BLOCK a read returns at once and the consumer would poll Redis in a tight loop
            throw new IllegalArgumentException("block must be at least 1 ms on " + this);
        }
        if (connectionFactory instanceof JedisConnectionFactory jedis) {
            // a blocked XREADGROUP must return before the socket gives up on it
            long socketTimeout = jedis.getClientConfiguration().getReadTimeout().toMillis();
            if (configuration.getBlock() >= socketTimeout) {
                throw new IllegalArgumentException("block (" + configuration.getBlock()
                                                   + " ms) must be shorter than the Redis client's socket timeout ("
                                                   + socketTimeout + " ms) on " + this);
            }
        }
        RedisStreamsConsumer consumer = new RedisStreamsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    private void requireConnectionFactory() {
        if (connectionFactory == null) {
            throw new IllegalStateException("No RedisConnectionFactory set on the redis-streams component or endpoint " + this);
        }
    }

    /** The base consumer name: the configured one, else {@code <hostname>-<pid>}. */
    String baseConsumerName() {
        if (configuration.getConsumerName() != null && !configuration.getConsumerName().isBlank()) {
            return configuration.getConsumerName();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    public RedisStreamsConfiguration getConfiguration() {
        return configuration;
    }

    public RedisConnectionFactory getConnectionFactory() {
        return connectionFactory;
    }

    public void setConnectionFactory(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }
}
