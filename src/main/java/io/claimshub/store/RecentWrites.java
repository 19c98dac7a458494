package io.claimshub.store;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * What this hub instance's own writes left in Redis for recent claim events, so that the processors, when the global
 * log delivers one of those very events (same claim, version and event id), can take it from memory instead of reading
 * it back: the snapshot an append stored with the event ({@link ClaimEventStore}), or the fact that an assignment was
 * applied in full (the processors' assignment step).
 *
 * <p>A writer announces the event before writing ({@link #begin}) and hands over what it wrote, or nothing when the
 * write did not land, afterwards ({@link Write#finish}); a delivery that arrives in between (another thread reads the
 * entry as soon as it is appended) waits for that answer, at most {@code waitMillis}. Each record is taken once: a
 * redelivery reads Redis again.
 *
 * <p>Bounded and in memory. A record not taken within {@code maxAge} (its delivery went to another instance, or was
 * lost to a restart) is dropped; when {@code capacity} records are waiting (a backlog of that many claims), new
 * writes are not recorded, so the records kept are those whose deliveries come next. Anything not recorded only means
 * the delivery reads Redis, which is always correct; a record is never wrong later, because what it says only moves
 * forward (a snapshot is never replaced by an older one, the workload indexes never go back to an older version).
 * Thread-safe.
 *
 * @param <T> what the writer left, e.g. the claim's state
 */
public final class RecentWrites<T> {

    private final int capacity;
    private final long waitMillis;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    // by claim id, version and event id, in the order announced
    private final Map<String, Write> writes = new LinkedHashMap<>();

    /** One announced write of a claim event. */
    public final class Write {
        private final String key;
        private final long announcedAt;
        private final CompletableFuture<T> written = new CompletableFuture<>();

        private Write(String key, long announcedAt) {
            this.key = key;
            this.announcedAt = announcedAt;
        }

        /** What the write left, or {@code null} when it did not land (or did not do all it had to). */
        public void finish(T result) {
            if (result == null) {
                forget(this);
            }
            written.complete(result);
        }
    }

    public RecentWrites(int capacity, long waitMillis, long maxAgeMillis) {
        this(capacity, waitMillis, maxAgeMillis, System::nanoTime);
    }

    RecentWrites(int capacity, long waitMillis, long maxAgeMillis, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.waitMillis = waitMillis;
        this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMillis);
    }

    /**
     * The caller is about to write the event at {@code version} of the claim; it must {@link Write#finish} the
     * answer, whether or not it is recorded.
     */
    public Write begin(String claimId, long version, String eventId) {
        long now = nanoClock.getAsLong();
        Write write = new Write(key(claimId, version, eventId), now);
        synchronized (this) {
            for (Iterator<Write> oldest = writes.values().iterator(); oldest.hasNext(); ) {
                if (now - oldest.next().announcedAt <= maxAgeNanos) {
                    break;
                }
                oldest.remove();
            }
            if (writes.size() < capacity) {
                writes.put(write.key, write);
            }
        }
        return write;
    }

    /**
     * What this instance's write of exactly this event left, waiting for a writer still at work on it; empty when
     * unknown here, or when the wait is interrupted (the thread keeps its interrupt; the caller reads Redis as
     * without the record). Taken once.
     */
    public Optional<T> take(String claimId, long version, String eventId) {
        Write write;
        synchronized (this) {
            write = writes.get(key(claimId, version, eventId));
        }
        if (write == null) {
            return Optional.empty();
        }
        T result;
        try {
            result = write.written.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
        forget(write);
        return Optional.ofNullable(result);
    }

    private static String key(String claimId, long version, String eventId) {
        return claimId + ' ' + version + ' ' + eventId;
    }

    private synchronized void forget(Write write) {
        writes.remove(write.key, write);
    }

    synchronized int size() {
        return writes.size();
    }
}
