package io.claimshub.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Logs recurring failures without flooding the log: the first failure of a kind in an interval is one line, the
 * others of that interval are counted and reported in one more line when it ends. Stack traces go to DEBUG only.
 */
public final class FailureLog {

    private final Logger log;
    private final long intervalNanos;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private ScheduledExecutorService reporter;

    public FailureLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * @param kind what failed, in a few words that stay the same from one failure to the next
     * @param detail this failure's own details (a correlation id, ...), logged with the first of an interval
     */
    public void record(String kind, String detail, Throwable error) {
        if (log.isDebugEnabled()) {
            log.debug("{}: {}", kind, detail, error);
        }
        Tally tally = tallies.computeIfAbsent(kind, k -> new Tally());
        boolean first;
        synchronized (tally) {
            long now = System.nanoTime();
            first = tally.count == 0 && now - tally.reportedAt >= intervalNanos;
            if (first) {
                tally.reportedAt = now;
            } else if (tally.count++ == 0) {
                reportLater(kind, tally, intervalNanos - (now - tally.reportedAt));
            }
        }
        if (first) {
            log.error("{}: {} ({}); repeats within {} s are counted, not logged", kind, detail, describe(error),
                    TimeUnit.NANOSECONDS.toSeconds(intervalNanos));
        }
    }

    /**
     * A failure that gets a line of its own, as its detail (a correlation id) is quoted back by clients: one line at
     * ERROR without the exception's message, and the stack trace at DEBUG.
     */
    public void recordEach(String kind, String detail, Throwable error) {
        if (log.isDebugEnabled()) {
            log.debug("{}: {}", kind, detail, error);
        }
        log.error("{}: {} ({})", kind, detail, describe(error));
    }

    private void reportLater(String kind, Tally tally, long delayNanos) {
        scheduler().schedule(() -> {
            long count;
            synchronized (tally) {
                count = tally.count;
                tally.count = 0;
                tally.reportedAt = System.nanoTime();
            }
            log.error("{}: {} more in the last {} s", kind, count, TimeUnit.NANOSECONDS.toSeconds(intervalNanos));
        }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (reporter == null) {
            reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "failure-log-" + log.getName());
                thread.setDaemon(true);
                return thread;
            });
        }
        return reporter;
    }

    /** The innermost cause: what actually went wrong, under the wrappers. */
    public static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * What went wrong, safe for any log level: the root cause's class, and for a Redis error reply its error code
     * (LOADING, BUSY, ...). Exception messages may carry data or secrets, so they are logged at DEBUG only.
     */
    public static String describe(Throwable error) {
        Throwable root = rootCause(error);
        String code = redisErrorCode(root);
        return root.getClass().getSimpleName() + (code == null ? "" : " " + code);
    }

    /** The error code a Redis error reply starts with (upper-case letters only), or null if it is not one. */
    public static String redisErrorCode(Throwable error) {
        if (!(error instanceof JedisDataException) || error.getMessage() == null) {
            return null;
        }
        String code = error.getMessage().split(" ", 2)[0];
        return !code.isEmpty() && code.chars().allMatch(c -> c >= 'A' && c <= 'Z') ? code : null;
    }

    private static final class Tally {
        long count;
        long reportedAt = System.nanoTime() - Long.MAX_VALUE / 2;
    }
}
