package io.claimshub.component.redisstreams;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stream in a consumer group on {@code concurrentConsumers} threads, each its own group consumer. An entry is
 * acknowledged only after its exchange completed (one exchange per entry, or per read with {@code batching}); entries of dead consumers are taken over with XAUTOCLAIM; entries
 * delivered more than {@code maxDeliveries} times go to the dead-letter stream.
 */
public class RedisStreamsConsumer extends DefaultConsumer implements ShutdownAware, Suspendable, HealthCheckAware {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsConsumer.class);
    // while Redis is away every thread fails on every attempt: one line per kind of failure this often
    static final long FAILURE_LOG_INTERVAL_MILLIS = 10_000;

    private final RedisStreamsConfiguration configuration;
    private final ConsumerFailureLog failureLog = new ConsumerFailureLog(LOG, FAILURE_LOG_INTERVAL_MILLIS);
    private final List<RedisStreamsFetchTask> tasks = new CopyOnWriteArrayList<>();
    private final Object resumeSignal = new Object();
    // the XAUTOCLAIM scan is shared by this consumer's threads: one scans at a time and the cursor carries on
    private final TakeoverScanner takeoverScanner;
    private ExecutorService executor;
    private ExecutorService readAheadExecutor;
    private HealthCheck healthCheck;

    public RedisStreamsConsumer(RedisStreamsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
        // the default; the endpoint replaces it when bridgeErrorHandler or exceptionHandler is set
        setExceptionHandler(failureLog);
        this.takeoverScanner = new TakeoverScanner(configuration, this::ownConsumerNames);
    }

    @Override
    public RedisStreamsEndpoint getEndpoint() {
        return (RedisStreamsEndpoint) super.getEndpoint();
    }

    RedisStreamsConfiguration configuration() {
        return configuration;
    }

    ConsumerFailureLog failureLog() {
        return failureLog;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String base = getEndpoint().baseConsumerName();
        int threads = configuration.getConcurrentConsumers();
        LOG.info("Consuming stream {} in group {} as {} ({} consumer(s))", configuration.getStreamKey(),
                configuration.getGroup(), base, threads);
        takeoverScanner.start(System.currentTimeMillis());
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "RedisStreams[" + configuration.getStreamKey() + "/" + configuration.getGroup() + "]",
                        threads);
        if (configuration.isReadAhead()) {
            readAheadExecutor = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newFixedThreadPool(this, "RedisStreamsReadAhead[" + configuration.getStreamKey() + "/"
                                              + configuration.getGroup() + "]", threads);
        }
        for (int i = 1; i <= threads; i++) {
            RedisStreamsFetchTask task = new RedisStreamsFetchTask(this, base + "-" + i);
            tasks.add(task);
            executor.submit(task);
        }
    }

    @Override
    protected void doStop() throws Exception {
        LOG.info("Stopping consumer of stream {} in group {}", configuration.getStreamKey(), configuration.getGroup());
        tasks.forEach(RedisStreamsFetchTask::stop);
        wakeUp();
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager()
                    .shutdownGraceful(executor, configuration.getShutdownTimeout());
            executor = null;
        }
        if (readAheadExecutor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(readAheadExecutor);
            readAheadExecutor = null;
        }
        tasks.clear();
        super.doStop();
    }

    /** Camel's consumers health-check repository reports this check as the route consumer's health. */
    @Override
    public HealthCheck getHealthCheck() {
        if (healthCheck == null && getEndpoint().getComponent().isHealthCheckConsumerEnabled()) {
            healthCheck = new RedisStreamsConsumerHealthCheck(this, getRouteId());
        }
        return healthCheck;
    }

    @Override
    public void setHealthCheck(HealthCheck healthCheck) {
        this.healthCheck = healthCheck;
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        wakeUp();
    }

    private void wakeUp() {
        synchronized (resumeSignal) {
            resumeSignal.notifyAll();
        }
    }

    /** Parks a fetch thread while the consumer is suspended; returns when resumed or stopping. */
    void awaitResume() throws InterruptedException {
        synchronized (resumeSignal) {
            while (isSuspendingOrSuspended() && isRunAllowed()) {
                resumeSignal.wait(configuration.getBlock());
            }
        }
    }

    /**
     * Waits until {@code deadline} (epoch ms) while {@code keepWaiting} holds; stopping and resuming the consumer
     * wake the waiting threads to look again.
     */
    void awaitUntil(long deadline, BooleanSupplier keepWaiting) throws InterruptedException {
        synchronized (resumeSignal) {
            long left;
            while (keepWaiting.getAsBoolean() && (left = deadline - System.currentTimeMillis()) > 0) {
                resumeSignal.wait(left);
            }
        }
    }

    ExecutorService readAheadExecutor() {
        return readAheadExecutor;
    }

    TakeoverScanner takeoverScanner() {
        return takeoverScanner;
    }

    Set<String> ownConsumerNames() {
        return tasks.stream().map(RedisStreamsFetchTask::consumerName).collect(Collectors.toSet());
    }

    List<RedisStreamsFetchTask> tasks() {
        return new ArrayList<>(tasks);
    }

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        return false;
    }

    @Override
    public int getPendingExchangesSize() {
        return tasks.stream().mapToInt(RedisStreamsFetchTask::unprocessedInBatch).sum();
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (!suspendOnly) {
            tasks.forEach(RedisStreamsFetchTask::stop);
            wakeUp();
        }
    }
}
