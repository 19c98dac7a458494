package io.claimshub.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import io.claimshub.component.redisstreams.DeadLetterFields;
import io.claimshub.component.redisstreams.RedisStreamsConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns an event the route's error handler gave up on into a dead-letter entry: the original fields plus where it
 * came from and why it failed (the same layout as the consumer's own poison-entry dead letters).
 */
public final class DeadLetterDescription implements Processor {

    static final String REASON_REDELIVERIES_EXHAUSTED = "redeliveries-exhausted";

    private final int maxEntryBytes;

    /** Keeps up to the component's default cap of the original entry. */
    public DeadLetterDescription() {
        this(DeadLetterFields.DEFAULT_MAX_ENTRY_BYTES);
    }

    public DeadLetterDescription(int maxEntryBytes) {
        this.maxEntryBytes = maxEntryBytes;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(DeadLetterFields.SOURCE_STREAM, message.getHeader(RedisStreamsConstants.STREAM_KEY, "", String.class));
        fields.put(DeadLetterFields.GROUP, message.getHeader(RedisStreamsConstants.GROUP, "", String.class));
        fields.put(DeadLetterFields.CONSUMER, message.getHeader(RedisStreamsConstants.CONSUMER_NAME, "", String.class));
        fields.put(DeadLetterFields.ENTRY_ID, message.getHeader(RedisStreamsConstants.ENTRY_ID, "", String.class));
        fields.put(DeadLetterFields.DELIVERY_COUNT, message.getHeader(RedisStreamsConstants.DELIVERY_COUNT, "", String.class));
        fields.put(DeadLetterFields.REASON, REASON_REDELIVERIES_EXHAUSTED);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        fields.put(DeadLetterFields.ERROR, error == null ? ""
                : DeadLetterFields.error(error.getClass().getName() + ": " + error.getMessage()));
        Map<String, String> original = new LinkedHashMap<>();
        Object body = message.getBody();
        if (body instanceof Map<?, ?> entry) {
            entry.forEach((k, v) -> original.put(String.valueOf(k), String.valueOf(v)));
        } else if (body != null) {
            original.put("body", message.getBody(String.class));
        }
        fields.putAll(DeadLetterFields.capped(original, maxEntryBytes));
        message.setBody(fields);
    }
}
