package io.claimshub.component.redisstreams;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.HealthCheckComponent;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Reads Redis streams in consumer groups and appends to them.
 */
@Component("redis-streams")
public class RedisStreamsComponent extends HealthCheckComponent {

    @Metadata(autowired = true, description = "The spring-data-redis connection factory every endpoint uses.")
    private RedisConnectionFactory connectionFactory;
    @Metadata(description = "Shared options, copied into each endpoint.")
    private RedisStreamsConfiguration configuration = new RedisStreamsConfiguration();
    private final ConcurrentMap<List<String>, GroupCounters> counters = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RedisStreamsConfiguration endpointConfiguration = configuration.copy();
        endpointConfiguration.setStreamKey(remaining);
        RedisStreamsEndpoint endpoint = new RedisStreamsEndpoint(uri, this, endpointConfiguration);
        // the options live on the configuration; what is left (bridgeErrorHandler, ...) belongs to the endpoint
        setProperties(endpointConfiguration, parameters);
        setProperties(endpoint, parameters);
        if (endpoint.getConnectionFactory() == null) {
            endpoint.setConnectionFactory(connectionFactory());
        }
        return endpoint;
    }

    /** The configured factory, else the only one in the registry. */
    private synchronized RedisConnectionFactory connectionFactory() {
        if (connectionFactory == null) {
            connectionFactory = CamelContextHelper.findSingleByType(getCamelContext(), RedisConnectionFactory.class);
        }
        return connectionFactory;
    }

    /** The counters of every stream and group this component's consumers have read, one per pair. */
    public Collection<GroupCounters> groupCounters() {
        return List.copyOf(counters.values());
    }

    GroupCounters countersOf(String stream, String group) {
        return counters.computeIfAbsent(List.of(stream, group), key -> new GroupCounters(stream, group));
    }

    public RedisConnectionFactory getConnectionFactory() {
        return connectionFactory;
    }

    public void setConnectionFactory(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    public RedisStreamsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RedisStreamsConfiguration configuration) {
        this.configuration = configuration;
    }
}
