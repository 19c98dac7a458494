package io.claimshub.component.redisstreams;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code XADD} of the message body: a map becomes the entry's fields, anything else one field named {@code bodyField}.
 */
public class RedisStreamsProducer extends DefaultProducer {

    private final RedisStreamsConfiguration configuration;

    public RedisStreamsProducer(RedisStreamsEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    public RedisStreamsEndpoint getEndpoint() {
        return (RedisStreamsEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) {
        Map<String, String> fields = fields(exchange);
        try (StreamOperations redis = new StreamOperations(getEndpoint().getConnectionFactory())) {
            String id = redis.add(configuration.getStreamKey(), fields, configuration.getMaxLen(),
                    configuration.isApproximateTrimming());
            exchange.getMessage().setHeader(RedisStreamsConstants.ENTRY_ID, id);
        }
    }

    private Map<String, String> fields(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        Map<String, String> fields = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v != null) {
                    fields.put(String.valueOf(k), exchange.getContext().getTypeConverter().convertTo(String.class, exchange, v));
                }
            });
        } else {
            String text = exchange.getMessage().getBody(String.class);
            fields.put(configuration.getBodyField(), text == null ? "" : text);
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("A stream entry needs at least one field; the body was an empty map");
        }
        return fields;
    }
}
