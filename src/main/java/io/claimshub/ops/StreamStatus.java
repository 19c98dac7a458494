package io.claimshub.ops;

import java.util.List;

/**
 * One stream as {@link StreamInspector} saw it: its length, first and last entry ids (empty when it has none),
 * the memory Redis reports for it and each of its consumer groups. {@code exists} is false for a missing key.
 */
public record StreamStatus(String stream, boolean exists, long length, String firstId, String lastId, long memoryBytes,
                           List<Group> groups) {

    public static StreamStatus missing(String stream) {
        return new StreamStatus(stream, false, 0, "", "", 0, List.of());
    }

    /**
     * A consumer group: its last-delivered id, its lag (entries not yet delivered to it; {@code lagExact} false when
     * it was estimated), its pending entries and the oldest of them (empty when none), and its consumers.
     */
    public record Group(String name, String lastDeliveredId, long lag, boolean lagExact, long pending,
                        String oldestPendingId, List<Consumer> consumers) {
    }

    /** A group consumer: its pending entries and how long (ms) since it last read or claimed. */
    public record Consumer(String name, long pending, long idleMillis) {
    }

    public Group group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }
}
