package io.claimshub.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each consumer group has processed, by stream entry id: the groups' stand-in work until their real
 * processing lands, and a window for tests. Keeps the most recent entries of each group only.
 */
public final class SeenEvents {

    private static final int KEPT_PER_GROUP = 100_000;

    private final Map<String, Map<String, Integer>> byGroup = new ConcurrentHashMap<>();

    public void record(String group, String entryId) {
        Map<String, Integer> seen = byGroup.computeIfAbsent(group, g -> Collections.synchronizedMap(
                new LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                        return size() > KEPT_PER_GROUP;
                    }
                }));
        seen.merge(entryId, 1, Integer::sum);
    }

    /** Entry ids the group processed, with how many times. */
    public Map<String, Integer> seenBy(String group) {
        Map<String, Integer> seen = byGroup.get(group);
        if (seen == null) {
            return Map.of();
        }
        synchronized (seen) {
            return Map.copyOf(seen);
        }
    }

    public Set<String> groups() {
        return Set.copyOf(byGroup.keySet());
    }
}
