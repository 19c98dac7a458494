package io.claimshub.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What this hub instance's own writes left in Redis for recent claim events, so that the processors, when the global
 * log delivers one of those very events (same claim, version and event id), can take it from memory instead of reading
 * it back: the snapshot an append stored with the event ({@link ClaimEventStore}), or the fact that an assignment was
 * applied in full (the processors' assignment step).
 *
 * <p>A writer announces the event before writing ({@link #begin}) and hands over what it wrote, or nothing when the
 * write did not land, afterwards ({@link Write#finish}); a delivery that arrives in between (another thread reads the
 * entry as soon as it is appended) waits for that answer, at most {@code waitMillis}. Each record is taken once: a
 * redelivery reads Redis again. Bounded and in memory: a record forgotten (a restart, more than {@code capacity}
 * claims in flight, another instance receiving the delivery, a writer that failed half-way) only means the delivery
 * reads Redis, which is always correct; a record is never wrong later, because what it says only moves forward (a
 * snapshot is never replaced by an older one, the workload indexes never go back to an older version).
 * Thread-safe.
 *
 * @param <T> what the writer left, e.g. the claim's state
 */
public final class RecentWrites<T> {

    private final int capacity;
    private final long waitMillis;
    private final Map<String, Write> writes;

    /** One announced write of a claim event. */
    public final class Write {
        private final String claimId;
        private final long version;
        private final String eventId;
        private final CompletableFuture<T> written = new CompletableFuture<>();

        private Write(String claimId, long version, String eventId) {
            this.claimId = claimId;
            this.version = version;
            this.eventId = eventId;
        }

        /** What the write left, or {@code null} when it did not land (or did not do all it had to). */
        public void finish(T result) {
            if (result == null) {
                forget(this);
            }
            written.complete(result);
        }

        private boolean matches(long deliveredVersion, String deliveredEventId) {
            return version == deliveredVersion && eventId.equals(deliveredEventId);
        }
    }

    public RecentWrites(int capacity, long waitMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.waitMillis = waitMillis;
        // insertion order: the claims written longest ago are forgotten first
        this.writes = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Write> eldest) {
                return size() > RecentWrites.this.capacity;
            }
        };
    }

    /** The caller is about to write the event at {@code version} of the claim; it must {@link Write#finish} it. */
    public synchronized Write begin(String claimId, long version, String eventId) {
        Write write = new Write(claimId, version, eventId);
        writes.remove(claimId); // re-inserted at the young end
        writes.put(claimId, write);
        return write;
    }

    /**
     * What this instance's write of exactly this event left, waiting for a writer still at work on it; empty when
     * unknown here. Taken once.
     */
    public Optional<T> take(String claimId, long version, String eventId) throws InterruptedException {
        Write write;
        synchronized (this) {
            write = writes.get(claimId);
        }
        if (write == null || !write.matches(version, eventId)) {
            return Optional.empty();
        }
        T result;
        try {
            result = write.written.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            result = null;
        }
        forget(write);
        return Optional.ofNullable(result);
    }

    private synchronized void forget(Write write) {
        writes.remove(write.claimId, write);
    }

    synchronized int size() {
        return writes.size();
    }
}
