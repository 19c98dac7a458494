package io.claimshub.component.redisstreams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a batch's entries to the route, one exchange each, or all in one exchange with {@code batching=true}: a
 * completed exchange makes its entries owed an acknowledgement, a failed one leaves them pending with their last error
 * recorded, and an entry delivered more than {@code maxDeliveries} times goes to the dead-letter stream instead. In a
 * batch exchange the route may leave single entries pending ({@link RedisStreamsConstants#BATCH_RETRY}) or
 * dead-letter them ({@link RedisStreamsConstants#BATCH_DEAD_LETTER}).
 */
final class EntryDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EntryDispatcher.class);
    static final String RETRY_REQUESTED = "left for redelivery by the route (" + RedisStreamsConstants.BATCH_RETRY + ")";

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
            List<StreamEntry> live = configuration.isBatching() ? new ArrayList<>(batch.size()) : null;
            for (StreamEntry entry : batch) {
                if (entry.deleted()) {
                    acks.completed(entry.id(), true); // trimmed while pending: nothing left to process
                    counters.onAcknowledged();
                } else if (entry.deliveryCount() > configuration.getMaxDeliveries()) {
                    deadLetter(entry, redis, DeadLetterFields.REASON_MAX_DELIVERIES);
                } else if (live != null) {
                    live.add(entry);
                    continue; // counted as unprocessed until the batch's exchange completed
                } else {
                    dispatch(entry, redis);
                }
                unprocessedInBatch--;
            }
            if (live != null && !live.isEmpty()) {
                dispatchBatch(live, redis);
            }
        } finally {
            unprocessedInBatch = 0;
        }
    }

    private void deadLetter(StreamEntry entry, StreamOperations redis, String reason) {
        String deadLetterStream = configuration.resolvedDeadLetterStream();
        if (redis.deadLetter(streamKey, deadLetterStream, errorsKey, group, consumerName, entry, reason,
                configuration.getDeadLetterMaxEntryBytes(), configuration.getDeadLetterMaxLen())) {
            counters.onDeadLettered();
            LOG.warn("Entry {} of {} (delivered {} times to group {}) moved to {}: {}", entry.id(), streamKey,
                    entry.deliveryCount(), group, deadLetterStream, reason);
        }
    }

    private void dispatch(StreamEntry entry, StreamOperations redis) {
        Exchange exchange = consumer.createExchange(false);
        counters.onDelivered();
        try {
            Message message = exchange.getMessage();
            message.setBody(body(entry.fields()));
            setHeaders(message);
            message.setHeader(RedisStreamsConstants.ENTRY_ID, entry.id());
            message.setHeader(RedisStreamsConstants.DELIVERY_COUNT, entry.deliveryCount());
            Throwable error = run(exchange);
            if (error == null) {
                acks.completed(entry.id(), entry.deliveryCount() > 1);
                counters.onAcknowledged();
            } else {
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

    /**
     * One exchange for the batch's entries, its body their list. Completed: each is acknowledged, dead-lettered or
     * left pending as the route said; failed: all stay pending with the error recorded.
     */
    private void dispatchBatch(List<StreamEntry> entries, StreamOperations redis) {
        List<RedisStreamsEntry> body = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            body.add(new RedisStreamsEntry(entry.id(), entry.fields(), entry.deliveryCount()));
        }
        Exchange exchange = consumer.createExchange(false);
        entries.forEach(entry -> counters.onDelivered());
        try {
            Message message = exchange.getMessage();
            message.setBody(Collections.unmodifiableList(body));
            setHeaders(message);
            Throwable error = run(exchange);
            BatchOutcome outcome = null;
            if (error == null) {
                try {
                    outcome = BatchOutcome.of(exchange);
                } catch (IllegalArgumentException e) {
                    error = e;
                }
            }
            if (error == null) {
                settle(entries, outcome, redis);
            } else {
                String text = DeadLetterFields.error(error);
                Map<String, String> errors = new LinkedHashMap<>();
                entries.forEach(entry -> errors.put(entry.id(), text));
                redis.recordErrors(errorsKey, errors);
                consumer.getExceptionHandler().handleException("Batch of " + entries.size() + " entries ("
                                                               + entries.get(0).id() + " to "
                                                               + entries.get(entries.size() - 1).id() + ") of "
                                                               + streamKey + " failed in group " + group
                                                               + "; they stay pending", exchange, error);
            }
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }

    private void settle(List<StreamEntry> entries, BatchOutcome outcome, StreamOperations redis) {
        Map<String, String> retryErrors = new LinkedHashMap<>();
        int matched = 0;
        for (StreamEntry entry : entries) {
            String reason = outcome.deadLetters().get(entry.id());
            String retryError = outcome.retries().get(entry.id());
            if (reason != null) {
                matched++;
                deadLetter(entry, redis, DeadLetterFields.reason(reason));
            } else if (retryError != null) {
                matched++;
                retryErrors.put(entry.id(), DeadLetterFields.error(retryError));
            } else {
                acks.completed(entry.id(), entry.deliveryCount() > 1);
                counters.onAcknowledged();
            }
        }
        if (!retryErrors.isEmpty()) {
            redis.recordErrors(errorsKey, retryErrors);
            LOG.debug("Consumer {} leaves {} entries of a batch of {} pending on {} as the route asked", consumerName,
                    retryErrors.size(), entries.size(), streamKey);
        }
        if (matched < outcome.size()) {
            LOG.warn("The route named {} entry id(s) in {} or {} that are not in its batch of {} on {}; ignored",
                    outcome.size() - matched, RedisStreamsConstants.BATCH_RETRY, RedisStreamsConstants.BATCH_DEAD_LETTER,
                    entries.size(), streamKey);
        }
    }

    /** Runs the route; the error it ended with, or null when the exchange completed. */
    private Throwable run(Exchange exchange) {
        try {
            consumer.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            return exchange.getException();
        }
        return exchange.isRollbackOnly() ? new IllegalStateException("Exchange marked for rollback") : null;
    }

    private void setHeaders(Message message) {
        message.setHeader(RedisStreamsConstants.STREAM_KEY, streamKey);
        message.setHeader(RedisStreamsConstants.GROUP, group);
        message.setHeader(RedisStreamsConstants.CONSUMER_NAME, consumerName);
    }

    private Object body(Map<String, String> fields) {
        String bodyField = configuration.getBodyField();
        if (fields.size() == 1 && fields.containsKey(bodyField)) {
            return fields.get(bodyField);
        }
        return fields;
    }

    /**
     * What the route said about single entries of a completed batch exchange: id to reason for the dead letters, id to
     * error for the entries to leave pending. A dead letter wins over a retry of the same id.
     */
    record BatchOutcome(Map<String, String> deadLetters, Map<String, String> retries) {

        int size() {
            Map<String, String> all = new LinkedHashMap<>(retries);
            all.putAll(deadLetters);
            return all.size();
        }

        static BatchOutcome of(Exchange exchange) {
            Object deadLetters = exchange.getProperty(RedisStreamsConstants.BATCH_DEAD_LETTER);
            Object retries = exchange.getProperty(RedisStreamsConstants.BATCH_RETRY);
            return new BatchOutcome(deadLetters == null ? Map.of() : idsTo(deadLetters, null, RedisStreamsConstants.BATCH_DEAD_LETTER),
                    retries == null ? Map.of() : idsTo(retries, RETRY_REQUESTED, RedisStreamsConstants.BATCH_RETRY));
        }

        /** A map of id to text, from a map, or (when {@code defaultText} is given) a collection of ids. */
        private static Map<String, String> idsTo(Object value, String defaultText, String property) {
            Map<String, String> result = new LinkedHashMap<>();
            if (value instanceof Map<?, ?> map) {
                map.forEach((id, text) -> result.put(requireId(id, property),
                        text == null ? (defaultText != null ? defaultText : "") : text.toString()));
            } else if (value instanceof Collection<?> ids && defaultText != null) {
                ids.forEach(id -> result.put(requireId(id, property), defaultText));
            } else {
                throw new IllegalArgumentException("Exchange property " + property + " must be a "
                                                   + (defaultText != null ? "Collection<String> of entry ids or a " : "")
                                                   + "Map<String, String> of entry id to "
                                                   + (defaultText != null ? "error" : "reason") + "; was a "
                                                   + value.getClass().getName());
            }
            return result;
        }

        private static String requireId(Object id, String property) {
            if (!(id instanceof String s)) {
                throw new IllegalArgumentException("Exchange property " + property + " holds a "
                                                   + (id == null ? "null" : id.getClass().getName())
                                                   + " where an entry id (String) belongs");
            }
            return s;
        }
    }
}
