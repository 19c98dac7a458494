package io.claimshub.component.redisstreams;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a batch's entries to the route one exchange each: a completed exchange makes its entry owed an
 * acknowledgement, a failed one leaves it pending with its last error recorded, and an entry delivered more than
 * {@code maxDeliveries} times goes to the dead-letter stream instead.
 */
final class EntryDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EntryDispatcher.class);

    private final RedisStreamsConsumer consumer;
    private final RedisStreamsConfiguration configuration;
    private final String consumerName;
    private final String streamKey;
    private final String group;
    private final String errorsKey;
    private final Acknowledgements acks;
    private final GroupCounters counters;
    private volatile int unprocessedInBatch;

    EntryDispatcher(RedisStreamsConsumer consumer, String consumerName, Acknowledgements acks) {
        this.consumer = consumer;
        this.configuration = consumer.configuration();
        this.consumerName = consumerName;
        this.streamKey = configuration.getStreamKey();
        this.group = configuration.getGroup();
        this.errorsKey = RedisStreamsKeys.lastErrors(streamKey, group);
        this.acks = acks;
        this.counters = consumer.getEndpoint().getComponent().countersOf(streamKey, group);
    }

    int unprocessedInBatch() {
        return unprocessedInBatch;
    }

    void process(List<StreamEntry> batch, StreamOperations redis) {
        unprocessedInBatch = batch.size();
        try {
            for (StreamEntry entry : batch) {
                if (entry.deleted()) {
                    acks.completed(entry.id(), true); // trimmed while pending: nothing left to process
                    counters.onAcknowledged();
                } else if (entry.deliveryCount() > configuration.getMaxDeliveries()) {
                    deadLetter(entry, redis);
                } else {
                    dispatch(entry, redis);
                }
                unprocessedInBatch--;
            }
        } finally {
            unprocessedInBatch = 0;
        }
    }

    private void deadLetter(StreamEntry entry, StreamOperations redis) {
        String deadLetterStream = configuration.resolvedDeadLetterStream();
        if (redis.deadLetter(streamKey, deadLetterStream, errorsKey, group, consumerName, entry,
                DeadLetterFields.REASON_MAX_DELIVERIES, configuration.getDeadLetterMaxEntryBytes(),
                configuration.getDeadLetterMaxLen())) {
            counters.onDeadLettered();
            LOG.warn("Entry {} of {} was delivered {} times to group {}; moved to {}", entry.id(), streamKey,
                    entry.deliveryCount(), group, deadLetterStream);
        }
    }

    private void dispatch(StreamEntry entry, StreamOperations redis) {
        Exchange exchange = consumer.createExchange(false);
        counters.onDelivered();
        try {
            Message message = exchange.getMessage();
            message.setBody(body(entry.fields()));
            message.setHeader(RedisStreamsConstants.STREAM_KEY, streamKey);
            message.setHeader(RedisStreamsConstants.ENTRY_ID, entry.id());
            message.setHeader(RedisStreamsConstants.GROUP, group);
            message.setHeader(RedisStreamsConstants.CONSUMER_NAME, consumerName);
            message.setHeader(RedisStreamsConstants.DELIVERY_COUNT, entry.deliveryCount());
            try {
                consumer.getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() == null && !exchange.isRollbackOnly()) {
                acks.completed(entry.id(), entry.deliveryCount() > 1);
                counters.onAcknowledged();
            } else {
                Throwable error = exchange.getException() != null
                        ? exchange.getException() : new IllegalStateException("Exchange marked for rollback");
                redis.recordError(errorsKey, entry.id(), DeadLetterFields.error(error));
                consumer.getExceptionHandler().handleException("Entry " + entry.id() + " of " + streamKey
                                                               + " failed in group " + group + " (delivery "
                                                               + entry.deliveryCount() + "); it stays pending",
                        exchange, error);
            }
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }

    private Object body(Map<String, String> fields) {
        String bodyField = configuration.getBodyField();
        if (fields.size() == 1 && fields.containsKey(bodyField)) {
            return fields.get(bodyField);
        }
        return fields;
    }
}
