package io.claimshub.component.redisstreams;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group consumer: a thread that reads a batch, hands it to the {@link EntryDispatcher} and acknowledges what
 * completed through {@link Acknowledgements}. On start and after every reconnect it first re-reads its own pending
 * entries; the {@link TakeoverScanner} shared by the route's threads interleaves takeover steps; the next batch of new
 * entries is read ahead on a second connection while the current one is processed; failures go to the
 * {@link ReconnectStrategy}.
 */
final class RedisStreamsFetchTask implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsFetchTask.class);

    private final RedisStreamsConsumer consumer;
    private final RedisStreamsConfiguration configuration;
    private final String consumerName;
    private final String streamKey;
    private final String group;
    private final Acknowledgements acks;
    private final EntryDispatcher dispatcher;
    private final ReconnectStrategy reconnectStrategy;

    private volatile boolean running = true;
    private StreamOperations redis;
    // the next XREADGROUP runs on its own connection while this thread processes the current batch
    private StreamOperations readAheadConnection;
    private Future<List<StreamEntry>> readAhead;
    private long readAheadStartedAt;
    // when the batch in hand was read from Redis
    private long batchReadAt;
    private boolean lastBatchShort;
    private long batchArrivedAt;
    // on start and after every reconnect the consumer first re-reads its own pending entries
    private boolean readingOwnPending = true;
    private String ownPendingCursor = "0";

    RedisStreamsFetchTask(RedisStreamsConsumer consumer, String consumerName) {
        this.consumer = consumer;
        this.configuration = consumer.configuration();
        this.consumerName = consumerName;
        this.streamKey = configuration.getStreamKey();
        this.group = configuration.getGroup();
        String errorsKey = RedisStreamsKeys.lastErrors(streamKey, group);
        this.acks = new Acknowledgements(new Acknowledgements.Sender() {
            @Override
            public void ack(List<String> ids) {
                redis.ack(streamKey, group, ids);
            }

            @Override
            public void clearErrors(List<String> ids) {
                redis.clearErrors(errorsKey, ids);
            }
        });
        this.dispatcher = new EntryDispatcher(consumer, consumerName, acks);
        this.reconnectStrategy = new ReconnectStrategy(configuration);
    }

    String consumerName() {
        return consumerName;
    }

    int unprocessedInBatch() {
        return dispatcher.unprocessedInBatch();
    }

    Throwable lastError() {
        return reconnectStrategy.lastError();
    }

    int consecutiveFailures() {
        return reconnectStrategy.consecutiveFailures();
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
                    acks.flush();
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
                    acks.flush();
                    consumer.awaitResume();
                }
                if (System.currentTimeMillis() - batchReadAt > configuration.getClaimMinIdle() / 2) {
                    // held long enough (read ahead behind a slow batch, or through a suspension) for another consumer
                    // to have taken entries over: process only what this consumer still owns
                    batch = owned(batch);
                }
                startReadAhead();
                if (readAhead == null && !acks.isEmpty()) {
                    // no read follows soon to carry them (a claim scan, a read delay): do not hold them through the batch
                    acks.flush();
                }
                dispatcher.process(batch, redis);
                if (!lastBatchShort && readAhead != null) {
                    // a full batch means a backlog: acknowledge now, on this connection, while the read-ahead
                    // connection already reads the next batch (the two overlap); the acks of short batches (a consumer
                    // keeping up), and without a read ahead those of every batch (the next read goes out at once),
                    // ride with the next read instead, saving a round trip each
                    acks.flush();
                }
                reconnectStrategy.batchSucceeded();
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
                acks.flush();
            }
        } catch (Exception e) {
            LOG.warn("Consumer {} could not acknowledge {} completed entries of {} on stop; they will be redelivered: {}",
                    consumerName, acks.owed(), streamKey, e.getMessage());
        }
        disconnect();
        LOG.debug("Consumer {} of group {} on {} stopped", consumerName, group, streamKey);
    }

    /** Connects and makes sure the group exists, backing off while Redis is unreachable. */
    private boolean reconnect() {
        reconnectStrategy.reconnect(consumer.getEndpoint().getCamelContext(), consumerName, () -> !keepRunning(),
                this::tryConnect);
        return redis != null && keepRunning();
    }

    private boolean tryConnect() {
        try {
            redis = new StreamOperations(consumer.getEndpoint().getConnectionFactory());
            boolean groupLost = reconnectStrategy.groupLost();
            String start = groupLost ? StartPosition.beginning.id() : configuration.getStartPosition().id();
            if (redis.createGroup(streamKey, group, start)) {
                LOG.info("Created group {} on stream {} at {}", group, streamKey, groupLost ? "0 (recovering a lost group)" : start);
            }
            reconnectStrategy.connected();
            readingOwnPending = true;
            ownPendingCursor = "0";
            if (reconnectStrategy.consecutiveFailures() > 0) {
                LOG.info("Consumer {} reconnected to stream {} after {} failed attempt(s)", consumerName, streamKey,
                        reconnectStrategy.consecutiveFailures());
            }
            return true;
        } catch (Exception e) {
            disconnect();
            reconnectStrategy.failed(e);
            consumer.failureLog().record("connect", "Consumer " + consumerName + " cannot reach stream " + streamKey
                                                    + " (attempt " + reconnectStrategy.consecutiveFailures() + ")", e, true);
            return false;
        }
    }

    private void onFailure(Throwable e) {
        reconnectStrategy.failed(e);
        if (RedisErrors.isNoGroup(e)) {
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
                List<StreamEntry> batch = readAhead.get();
                acks.readSucceeded();
                dispatcher.process(batch, redis);
            } catch (ExecutionException e) {
                acks.readFailed();
                LOG.debug("Read-ahead of consumer {} failed on stop; its entries stay pending: {}", consumerName, e.getMessage());
            } finally {
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
                || consumer.isSuspendingOrSuspended() || consumer.takeoverScanner().due(System.currentTimeMillis())) {
            return;
        }
        if (readAheadConnection == null) {
            readAheadConnection = new StreamOperations(consumer.getEndpoint().getConnectionFactory());
        }
        StreamOperations connection = readAheadConnection;
        readAheadStartedAt = System.currentTimeMillis();
        // the entries completed so far are acknowledged in the same round trip, before the read
        List<String> ackIds = acks.sendWithRead();
        try {
            readAhead = consumer.readAheadExecutor().submit(() -> connection.readGroupAfterAck(streamKey, group,
                    consumerName, configuration.getCount(), configuration.getBlock(), ">", ackIds));
        } catch (RuntimeException e) {
            acks.readFailed();
            throw e;
        }
    }

    private void disconnect() {
        if (readAhead != null) {
            // whatever it read stays pending for this consumer and is re-read first after reconnecting
            try {
                readAhead.get();
                acks.readAnswered();
            } catch (Exception e) {
                acks.readFailed();
                LOG.debug("Discarding the read-ahead of consumer {}: {}", consumerName, e.getMessage());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            readAhead = null;
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

    /**
     * With a read delay, a short batch is followed by a pause so the next read finds more entries. The pause is a
     * timed wait the consumer cuts short on stop or suspension.
     */
    private boolean awaitReadDelay() throws InterruptedException {
        long delay = configuration.getReadDelay();
        if (delay <= 0 || !lastBatchShort || readAhead != null || readingOwnPending) {
            return false;
        }
        long until = batchArrivedAt + delay;
        if (until > System.currentTimeMillis()) {
            consumer.awaitUntil(until, () -> keepRunning() && !consumer.isSuspendingOrSuspended());
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
                List<StreamEntry> batch = acks.awaitRead(pending);
                readAhead = null;
                acks.readSucceeded();
                return batch;
            } catch (ExecutionException e) {
                readAhead = null;
                acks.readFailed();
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        long now = System.currentTimeMillis();
        TakeoverScanner scanner = consumer.takeoverScanner();
        // every path below but the plain read sends its own commands first: acknowledge on their own
        if (readingOwnPending || scanner.due(now)) {
            acks.flush();
        }
        if (readingOwnPending) {
            List<StreamEntry> own = redis.readGroup(streamKey, group, consumerName, configuration.getCount(), 0, ownPendingCursor);
            if (!own.isEmpty()) {
                ownPendingCursor = own.get(own.size() - 1).id();
                LOG.info("Consumer {} re-reads {} of its own pending entries on {}", consumerName, own.size(), streamKey);
                return owned(own);
            }
            readingOwnPending = false;
        }
        List<StreamEntry> takenOver = scanner.scan(redis, consumerName, System.currentTimeMillis());
        if (takenOver != null) {
            return takenOver;
        }
        List<String> ackIds = acks.sendWithRead();
        List<StreamEntry> batch;
        try {
            batch = redis.readGroupAfterAck(streamKey, group, consumerName, configuration.getCount(),
                    configuration.getBlock(), ">", ackIds);
        } catch (RuntimeException e) {
            acks.readFailed();
            throw e;
        }
        acks.readSucceeded();
        return batch;
    }

    private List<StreamEntry> owned(List<StreamEntry> entries) {
        return redis.ownedWithDeliveryCounts(streamKey, group, consumerName, entries, configuration.getCount());
    }
}
