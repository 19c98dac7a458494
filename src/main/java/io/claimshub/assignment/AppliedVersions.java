package io.claimshub.assignment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The claim events this hub instance applies in full by its own writes: the snapshot stored by the event's append
 * and the workload indexes tracked at its version. When the global log delivers that very event (same claim, version
 * and event id) to the processors, nothing is left to do, and the delivery can be acknowledged without a round trip.
 *
 * <p>A writer announces the event before appending it ({@link #begin}) and says afterwards whether it applied it in
 * full ({@link Applying#finish}); a delivery that arrives in between (another consumer thread reads the entry as
 * soon as it is appended) waits for that answer, at most {@code waitMillis}. Bounded and in memory: forgetting an
 * event (a restart, more than {@code capacity} claims in flight, another instance receiving the delivery, a writer
 * that failed half-way) only means the delivery is processed in full, which is always correct. Remembering is safe
 * because both facts only move forward: a snapshot is never replaced by an older one and the workload indexes never
 * go back to an older version. Thread-safe.
 */
final class AppliedVersions {

    private final int capacity;
    private final long waitMillis;
    private final Map<String, Applying> events;

    /** One announced event; {@link #finish} tells whether its writer applied it in full. */
    final class Applying {
        private final String claimId;
        private final long version;
        private final String eventId;
        private final CompletableFuture<Boolean> applied = new CompletableFuture<>();

        private Applying(String claimId, long version, String eventId) {
            this.claimId = claimId;
            this.version = version;
            this.eventId = eventId;
        }

        /** {@code true} once the append stored the snapshot and the workloads were tracked at the version. */
        void finish(boolean appliedInFull) {
            if (!appliedInFull) {
                forget(this);
            }
            applied.complete(appliedInFull);
        }

        private boolean matches(long deliveredVersion, String deliveredEventId) {
            return version == deliveredVersion && eventId.equals(deliveredEventId);
        }
    }

    AppliedVersions(int capacity, long waitMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.waitMillis = waitMillis;
        // insertion order: the claims announced longest ago are forgotten first
        this.events = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Applying> eldest) {
                return size() > AppliedVersions.this.capacity;
            }
        };
    }

    /** The writer is about to append the event at {@code version} of the claim, and to apply it in full. */
    synchronized Applying begin(String claimId, long version, String eventId) {
        Applying applying = new Applying(claimId, version, eventId);
        events.remove(claimId); // re-inserted at the young end
        events.put(claimId, applying);
        return applying;
    }

    /**
     * Whether this delivery is of an event this instance applied in full; waits for a writer still at work on it.
     * The delivery is expected once, so the record is dropped then: a redelivery is processed in full.
     */
    boolean covers(String claimId, long version, String eventId) throws InterruptedException {
        Applying applying;
        synchronized (this) {
            applying = events.get(claimId);
        }
        if (applying == null || !applying.matches(version, eventId)) {
            return false;
        }
        boolean applied;
        try {
            applied = applying.applied.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            applied = false;
        }
        forget(applying);
        return applied;
    }

    private synchronized void forget(Applying applying) {
        events.remove(applying.claimId, applying);
    }

    synchronized int size() {
        return events.size();
    }
}
