package io.claimshub.assignment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The claim events this hub instance has seen fully applied by its own writes: the snapshot stored by the event's
 * append and the workload indexes tracked at its version. When the global log delivers that very event (same claim,
 * version and event id) to the processors later, nothing is left to do, and the delivery can be acknowledged without
 * a round trip.
 *
 * <p>Bounded and in memory: forgetting a version (a restart, more than {@link #capacity} claims in flight, another
 * instance receiving the delivery) only means the delivery is processed in full, which is always correct. Recording
 * is safe because both facts only ever move forward: a snapshot is never replaced by an older one and the workload
 * indexes never go back to an older version. Thread-safe.
 */
final class AppliedVersions {

    private final int capacity;
    private final Map<String, Applied> versions;

    private record Applied(long version, String eventId) {
    }

    AppliedVersions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        // insertion order: the claims recorded longest ago are forgotten first
        this.versions = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Applied> eldest) {
                return size() > AppliedVersions.this.capacity;
            }
        };
    }

    /** The event at {@code version} of the claim was appended with its snapshot, and the workloads tracked at it. */
    synchronized void record(String claimId, long version, String eventId) {
        versions.put(claimId, new Applied(version, eventId));
    }

    /**
     * Whether this delivery is of the event recorded for the claim. Its delivery is expected once, so the record is
     * dropped then: a redelivery is processed in full.
     */
    synchronized boolean covers(String claimId, long version, String eventId) {
        Applied recorded = versions.get(claimId);
        if (recorded == null || recorded.version() != version || !recorded.eventId().equals(eventId)) {
            return false;
        }
        versions.remove(claimId);
        return true;
    }

    synchronized int size() {
        return versions.size();
    }
}
