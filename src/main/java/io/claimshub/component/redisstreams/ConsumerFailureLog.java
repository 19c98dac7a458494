package io.claimshub.component.redisstreams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;

/**
 * A consumer's failures in the log without flooding it while Redis is away: the first failure of a kind (what failed
 * and its root cause) is one WARN line, the others within the interval are counted and the count goes with the next
 * line of that kind. Stack traces are logged at DEBUG only. The consumer's exception handler unless the endpoint sets
 * {@code bridgeErrorHandler} or its own {@code exceptionHandler}.
 */
final class ConsumerFailureLog implements ExceptionHandler {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    ConsumerFailureLog(Logger log, long intervalMillis) {
        this(log, intervalMillis, System::nanoTime);
    }

    ConsumerFailureLog(Logger log, long intervalMillis, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.nanoTime = nanoTime;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException("Consumer failed", null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    /**
     * A failed read (no exchange) and a failed entry are two kinds, each further told apart by its root cause. Of an
     * entry's failure only the cause's type is logged: its text may quote the entry's data.
     */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exchange == null) {
            record("read", message, exception, true);
        } else {
            record("entry", message, exception, false);
        }
    }

    /**
     * @param kind what failed, in a word that stays the same from one failure to the next
     * @param message this failure's own line
     * @param withCauseText whether the root cause's text may go to the log (not when it may quote data)
     */
    void record(String kind, String message, Throwable error, boolean withCauseText) {
        log.debug(message, error);
        Throwable cause = rootCause(error);
        Tally tally = tallies.computeIfAbsent(kind + " " + cause.getClass().getName(), k -> new Tally());
        long repeats;
        synchronized (tally) {
            long now = nanoTime.getAsLong();
            if (tally.loggedAt != null && now - tally.loggedAt < intervalNanos) {
                tally.repeats++;
                return;
            }
            repeats = tally.repeats;
            tally.repeats = 0;
            tally.loggedAt = now;
        }
        String described = withCauseText ? describe(cause) : cause.getClass().getSimpleName();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(intervalNanos);
        if (repeats == 0) {
            log.warn("{}: {}; repeats within {} s are counted, not logged", message, described, seconds);
        } else {
            log.warn("{}: {}; {} more like it since the last such line", message, described, repeats);
        }
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable cause) {
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static final class Tally {
        Long loggedAt;
        long repeats;
    }
}
