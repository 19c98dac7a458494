package io.claimshub.component.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.task.ForegroundTask;
import org.apache.camel.support.task.Tasks;
import org.apache.camel.support.task.budget.Budgets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoConsumer;

/**
 * One group consumer: a thread that reads, dispatches one exchange per entry, and acknowledges what completed.
 */
final class RedisStreamsFetchTask implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsFetchTask.class);
    // how long a batch's acknowledgements wait for the next read to go with before they are sent on their own
    private static final long ACK_RIDE_WAIT_MILLIS = 5;

    private final RedisStreamsConsumer consumer;
    private final RedisStreamsConfiguration configuration;
    private final String consumerName;
    private final String streamKey;
    private final String group;
    private final String errorsKey;
    // completed entries waiting for the next XACK; never an entry whose exchange has not completed
    private final List<String> completed = new ArrayList<>();
    private final List<String> completedAfterRetry = new ArrayList<>();

    private volatile boolean running = true;
    private volatile int unprocessedInBatch;
    private volatile Throwable lastError;
    private volatile int consecutiveFailures;
    private StreamOperations redis;
    // the next XREADGROUP runs on its own connection while this thread processes the current batch
    private StreamOperations readAheadConnection;
    private Future<List<StreamEntry>> readAhead;
    // acknowledgements sent with the read-ahead in flight
    private List<String> readAheadAcks = List.of();
    private long readAheadStartedAt;
    // when the batch in hand was read from Redis
    private long batchReadAt;
    private boolean lastBatchShort;
    private long batchArrivedAt;
    private boolean groupLost;
    // on start and after every reconnect the consumer first re-reads its own pending entries
    private boolean readingOwnPending = true;
    private String ownPendingCursor = "0";
    // where the shared takeover scan continues; stays put when a scan step fails
    private String scanCursor = "0-0";

    RedisStreamsFetchTask(RedisStreamsConsumer consumer, String consumerName) {
        this.consumer = consumer;
        this.configuration = consumer.configuration();
        this.consumerName = consumerName;
        this.streamKey = configuration.getStreamKey();
        this.group = configuration.getGroup();
        this.errorsKey = RedisStreamsKeys.lastErrors(streamKey, group);
    }

    String consumerName() {
        return consumerName;
    }

    int unprocessedInBatch() {
        return unprocessedInBatch;
    }

    Throwable lastError() {
        return lastError;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    void stop() {
        running = false;
    }

    private boolean keepRunning() {
        return running && consumer.isRunAllowed();
    }

    @Override
    public void run() {
        while (keepRunning()) {
            try {
                if (redis == null && !reconnect()) {
                    break;
                }
                if (consumer.isSuspendingOrSuspended()) {
                    flushAcks();
                    consumer.awaitResume();
                    continue;
                }
                if (awaitReadDelay()) {
                    continue; // look at stop and suspension again before reading
                }
                // the acknowledgements of the batch just completed go with the next read (or on their own, first)
                List<StreamEntry> batch = nextBatch();
                lastBatchShort = batch.size() < configuration.getCount();
                batchArrivedAt = System.currentTimeMillis();
                if (consumer.isSuspendingOrSuspended()) {
                    // read just as the route was suspended: hold the entries (they stay pending) until resumed,
                    // but not the acknowledgements of what was completed before
                    flushAcks();
                    consumer.awaitResume();
                }
                if (System.currentTimeMillis() - batchReadAt > configuration.getClaimMinIdle() / 2) {
                    // held long enough (read ahead behind a slow batch, or through a suspension) for another consumer
                    // to have taken entries over: process only what this consumer still owns
                    batch = withDeliveryCounts(batch);
                }
                startReadAhead();
                if (readAhead == null && !completed.isEmpty()) {
                    // no read follows soon to carry them (a claim scan, a read delay): do not hold them through the batch
                    flushAcks();
                }
                process(batch);
                if (!lastBatchShort) {
                    // a full batch means a backlog: acknowledge now, on this connection, while the read-ahead
                    // connection already reads the next batch (the two overlap); the acks of short batches (a consumer
                    // keeping up) ride with the next read instead, saving a round trip each
                    flushAcks();
                }
                lastError = null;
                consecutiveFailures = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception | Error e) {
                // an Error too: the executor would swallow it and the thread would end without a word
                onFailure(e);
            }
        }
        try {
            if (redis != null) {
                finishReadAhead();
                flushAcks();
            }
        } catch (Exception e) {
            LOG.warn("Consumer {} could not acknowledge {} completed entries of {} on stop; they will be redelivered: {}",
                    consumerName, completed.size(), streamKey, e.getMessage());
        }
        disconnect();
        LOG.debug("Consumer {} of group {} on {} stopped", consumerName, group, streamKey);
    }

    /** Connects and makes sure the group exists, backing off exponentially while Redis is unreachable. */
    private boolean reconnect() {
        // the delay grows with every failure since the last good batch, so an error that strikes right after each
        // successful reconnect backs off too
        ForegroundTask task = Tasks.foregroundTask()
                .withName("redis-streams-reconnect-" + consumerName)
                .withBudget(Budgets.iterationBudget()
                        .withInitialDelay(Duration.ofMillis(backOff(consecutiveFailures)))
                        .withInterval(Duration.ofMillis(configuration.getReconnectDelay()))
                        .withBackOffStrategy(iteration -> backOff(consecutiveFailures))
                        .withUnlimitedMaxIterations()
                        .build())
                .build();
        task.run(consumer.getEndpoint().getCamelContext(), () -> !keepRunning() || tryConnect());
        return redis != null && keepRunning();
    }

    private long backOff(int failures) {
        if (failures == 0) {
            return 0;
        }
        return Math.min(configuration.getReconnectMaxDelay(), configuration.getReconnectDelay() << Math.min(failures - 1, 20));
    }

    private boolean tryConnect() {
        try {
            redis = new StreamOperations(consumer.getEndpoint().getConnectionFactory());
            String start = groupLost ? StartPosition.beginning.id() : configuration.getStartPosition().id();
            if (redis.createGroup(streamKey, group, start)) {
                LOG.info("Created group {} on stream {} at {}", group, streamKey, groupLost ? "0 (recovering a lost group)" : start);
            }
            groupLost = false;
            readingOwnPending = true;
            ownPendingCursor = "0";
            if (consecutiveFailures > 0) {
                LOG.info("Consumer {} reconnected to stream {} after {} failed attempt(s)", consumerName, streamKey,
                        consecutiveFailures);
            }
            return true;
        } catch (Exception e) {
            disconnect();
            consecutiveFailures++;
            lastError = e;
            consumer.failureLog().record("connect", "Consumer " + consumerName + " cannot reach stream " + streamKey
                                                    + " (attempt " + consecutiveFailures + ")", e, true);
            return false;
        }
    }

    private void onFailure(Throwable e) {
        consecutiveFailures++;
        lastError = e;
        if (RedisErrors.isNoGroup(e)) {
            groupLost = true;
            LOG.warn("Group {} or stream {} was deleted under consumer {}; recreating it", group, streamKey, consumerName);
        }
        // logs it, or hands it to the route's error handler when bridgeErrorHandler=true
        consumer.getExceptionHandler().handleException("Error reading stream " + streamKey + " in group " + group, e);
        disconnect();
    }

    /** On a graceful stop the entries read ahead were delivered to this consumer: process them too. */
    private void finishReadAhead() throws InterruptedException {
        if (readAhead != null) {
            try {
                process(readAhead.get());
            } catch (ExecutionException e) {
                readAheadAcksUnsent();
                LOG.debug("Read-ahead of consumer {} failed on stop; its entries stay pending: {}", consumerName, e.getMessage());
            } finally {
                readAheadAcks = List.of();
                readAhead = null;
            }
        }
    }

    /**
     * Reads the next batch of new entries in the background, unless this consumer is busy re-reading its own pending
     * entries, a takeover scan is due, or it is stopping or suspended.
     */
    private void startReadAhead() {
        if (!configuration.isReadAhead() || readAhead != null || readingOwnPending || !keepRunning()
                || (lastBatchShort && configuration.getReadDelay() > 0)
                || consumer.isSuspendingOrSuspended() || consumer.claimScanDue(System.currentTimeMillis())) {
            return;
        }
        if (readAheadConnection == null) {
            readAheadConnection = new StreamOperations(consumer.getEndpoint().getConnectionFactory());
        }
        StreamOperations connection = readAheadConnection;
        readAheadStartedAt = System.currentTimeMillis();
        // the entries completed so far are acknowledged in the same round trip, before the read
        List<String> acks = takeCompleted();
        try {
            readAhead = consumer.readAheadExecutor().submit(() -> connection.readGroupAfterAck(streamKey, group,
                    consumerName, configuration.getCount(), configuration.getBlock(), ">", acks));
        } catch (RuntimeException e) {
            completed.addAll(acks);
            throw e;
        }
        readAheadAcks = acks;
    }

    /** After acknowledgements were applied: the last errors of the retried ones among them can go. */
    private void acknowledged(List<String> acks) {
        if (completedAfterRetry.isEmpty() || acks.isEmpty()) {
            return;
        }
        List<String> retried = new ArrayList<>();
        for (String id : acks) {
            if (completedAfterRetry.remove(id)) {
                retried.add(id);
            }
        }
        if (!retried.isEmpty()) {
            redis.clearErrors(errorsKey, retried);
        }
    }

    /** The read-ahead failed: the acknowledgements that went with it may not have been applied; send them again. */
    private void readAheadAcksUnsent() {
        completed.addAll(readAheadAcks);
        readAheadAcks = List.of();
    }

    private List<String> takeCompleted() {
        if (completed.isEmpty()) {
            return List.of();
        }
        List<String> ids = List.copyOf(completed);
        completed.clear();
        return ids;
    }

    private void disconnect() {
        if (readAhead != null) {
            // whatever it read stays pending for this consumer and is re-read first after reconnecting
            try {
                readAhead.get();
            } catch (Exception e) {
                readAheadAcksUnsent();
                LOG.debug("Discarding the read-ahead of consumer {}: {}", consumerName, e.getMessage());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            readAhead = null;
            readAheadAcks = List.of();
        }
        if (readAheadConnection != null) {
            try {
                readAheadConnection.close();
            } catch (Exception e) {
                LOG.debug("Closing the read-ahead connection of consumer {} failed: {}", consumerName, e.getMessage());
            }
            readAheadConnection = null;
        }
        if (redis != null) {
            try {
                redis.close();
            } catch (Exception e) {
                LOG.debug("Closing the connection of consumer {} failed: {}", consumerName, e.getMessage());
            }
            redis = null;
        }
    }

    /** With a read delay, a short batch is followed by a pause so the next read finds more entries. */
    private boolean awaitReadDelay() throws InterruptedException {
        long delay = configuration.getReadDelay();
        if (delay <= 0 || !lastBatchShort || readAhead != null || readingOwnPending) {
            return false;
        }
        long wait = batchArrivedAt + delay - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
            lastBatchShort = false; // waited once; the next read goes out at once
            return true;
        }
        return false;
    }

    private List<StreamEntry> nextBatch() throws InterruptedException {
        batchReadAt = System.currentTimeMillis();
        if (readAhead != null) {
            Future<List<StreamEntry>> pending = readAhead;
            batchReadAt = readAheadStartedAt;
            try {
                List<StreamEntry> batch;
                if (completed.isEmpty() || pending.isDone()) {
                    batch = pending.get();
                } else {
                    // under load the next entries come within moments, and the acks ride with the read after them;
                    // on a quiet stream acknowledge now rather than hold the acks until entries come
                    try {
                        batch = pending.get(ACK_RIDE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException quiet) {
                        try {
                            flushAcks();
                        } catch (RuntimeException e) {
                            // they stay in completed and go with a later read; the read in flight is still waited for
                            LOG.debug("Consumer {} could not acknowledge on its own: {}", consumerName, e.getMessage());
                        }
                        batch = pending.get();
                    }
                }
                readAhead = null;
                acknowledged(readAheadAcks);
                readAheadAcks = List.of();
                return batch;
            } catch (ExecutionException e) {
                readAhead = null;
                readAheadAcksUnsent();
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        // every path below but the plain read sends its own commands first: acknowledge on their own
        if (readingOwnPending || consumer.claimScanDue(System.currentTimeMillis())) {
            flushAcks();
        }
        if (readingOwnPending) {
            List<StreamEntry> own = redis.readGroup(streamKey, group, consumerName, configuration.getCount(), 0, ownPendingCursor);
            if (!own.isEmpty()) {
                ownPendingCursor = own.get(own.size() - 1).id();
                LOG.info("Consumer {} re-reads {} of its own pending entries on {}", consumerName, own.size(), streamKey);
                return withDeliveryCounts(own);
            }
            readingOwnPending = false;
        }
        long now = System.currentTimeMillis();
        if (consumer.tryStartClaimScan(now)) {
            scanCursor = consumer.claimCursor();
            try {
                removeIdleConsumers(now);
                return takeOver();
            } finally {
                consumer.claimScanDone(scanCursor, System.currentTimeMillis());
            }
        }
        List<String> acks = takeCompleted();
        List<StreamEntry> batch;
        try {
            batch = redis.readGroupAfterAck(streamKey, group, consumerName, configuration.getCount(),
                    configuration.getBlock(), ">", acks);
        } catch (RuntimeException e) {
            completed.addAll(acks);
            throw e;
        }
        acknowledged(acks);
        return batch;
    }

    /** One XAUTOCLAIM step from where the previous one stopped. */
    private List<StreamEntry> takeOver() {
        String cursor = consumer.claimCursor();
        scanCursor = cursor;
        StreamOperations.AutoClaimed claimed = redis.autoClaim(streamKey, group, consumerName,
                configuration.getClaimMinIdle(), cursor, configuration.getCount());
        scanCursor = claimed.nextCursor();
        if (claimed.unnamedDeletions()) {
            acknowledgeDeletedClaims(cursor, claimed);
        }
        if (!claimed.entries().isEmpty()) {
            LOG.info("Consumer {} took over {} pending entries of stream {} idle longer than {} ms", consumerName,
                    claimed.entries().size(), streamKey, configuration.getClaimMinIdle());
        }
        return withDeliveryCounts(claimed.entries());
    }

    /** Redis 6.2 answers nil without the id for a claimed entry that was trimmed: find such ids and acknowledge them. */
    private void acknowledgeDeletedClaims(String cursor, StreamOperations.AutoClaimed claimed) {
        String end = "0-0".equals(claimed.nextCursor()) ? "+" : "(" + claimed.nextCursor();
        Set<String> named = new HashSet<>();
        claimed.entries().forEach(e -> named.add(e.id()));
        List<String> gone = new ArrayList<>();
        for (String id : redis.deliveryCounts(streamKey, group, consumerName, cursor, end, configuration.getCount() * 2).keySet()) {
            if (!named.contains(id) && !redis.exists(streamKey, id)) {
                gone.add(id);
            }
        }
        redis.ack(streamKey, group, gone);
        redis.clearErrors(errorsKey, gone);
    }

    /** Attaches the delivery counts Redis keeps; an entry no longer pending for this consumer is dropped (someone took it). */
    private List<StreamEntry> withDeliveryCounts(List<StreamEntry> entries) {
        if (entries.isEmpty()) {
            return entries;
        }
        Map<String, Long> counts = redis.deliveryCounts(streamKey, group, consumerName, entries.get(0).id(),
                entries.get(entries.size() - 1).id(), entries.size() + configuration.getCount());
        List<StreamEntry> owned = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            Long count = counts.get(entry.id());
            if (count != null) {
                owned.add(entry.withDeliveryCount(count));
            }
        }
        return owned;
    }

    private void removeIdleConsumers(long now) {
        if (!consumer.idleCheckDue(now)) {
            return;
        }
        Set<String> own = consumer.ownConsumerNames();
        for (XInfoConsumer info : redis.consumers(streamKey, group)) {
            if (!own.contains(info.consumerName()) && info.pendingCount() == 0
                    && info.idleTimeMs() > configuration.getIdleConsumerTimeout()
                    && redis.deleteConsumerIfIdle(streamKey, group, info.consumerName())) {
                LOG.info("Removed idle consumer {} (idle {} ms, nothing pending) from group {} on {}", info.consumerName(),
                        info.idleTimeMs(), group, streamKey);
            }
        }
    }

    private void process(List<StreamEntry> batch) {
        unprocessedInBatch = batch.size();
        try {
            for (StreamEntry entry : batch) {
                if (entry.deleted()) {
                    completed.add(entry.id()); // trimmed while pending: nothing left to process
                    completedAfterRetry.add(entry.id());
                } else if (entry.deliveryCount() > configuration.getMaxDeliveries()) {
                    deadLetter(entry);
                } else {
                    dispatch(entry);
                }
                unprocessedInBatch--;
            }
        } finally {
            unprocessedInBatch = 0;
        }
    }

    private void deadLetter(StreamEntry entry) {
        String deadLetterStream = configuration.resolvedDeadLetterStream();
        if (redis.deadLetter(streamKey, deadLetterStream, errorsKey, group, consumerName, entry,
                DeadLetterFields.REASON_MAX_DELIVERIES, configuration.getDeadLetterMaxEntryBytes(),
                configuration.getDeadLetterMaxLen())) {
            LOG.warn("Entry {} of {} was delivered {} times to group {}; moved to {}", entry.id(), streamKey,
                    entry.deliveryCount(), group, deadLetterStream);
        }
    }

    private void dispatch(StreamEntry entry) {
        Exchange exchange = consumer.createExchange(false);
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
                completed.add(entry.id());
                if (entry.deliveryCount() > 1) {
                    completedAfterRetry.add(entry.id());
                }
            } else {
                Throwable error = exchange.getException() != null
                        ? exchange.getException() : new IllegalStateException("Exchange marked for rollback");
                redis.recordError(errorsKey, entry.id(), describe(error));
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

    private void flushAcks() {
        if (!completed.isEmpty()) {
            redis.ack(streamKey, group, completed);
            completed.clear();
        }
        if (!completedAfterRetry.isEmpty()) {
            redis.clearErrors(errorsKey, completedAfterRetry);
            completedAfterRetry.clear();
        }
    }

    private static String describe(Throwable error) {
        return DeadLetterFields.error(error.getClass().getName() + ": " + error.getMessage());
    }
}
