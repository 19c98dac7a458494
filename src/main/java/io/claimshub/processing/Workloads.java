package io.claimshub.processing;

import java.util.Map;

/** How busy each adjuster is right now; the consumer reads this from the claim snapshots. */
public interface Workloads {

    int openClaims(String adjusterId);

    int assignedToday(String adjusterId);

    /** Workloads from counts per adjuster id; an adjuster missing from a map has zero. */
    static Workloads of(Map<String, Integer> openClaims, Map<String, Integer> assignedToday) {
        Map<String, Integer> open = Map.copyOf(openClaims);
        Map<String, Integer> today = Map.copyOf(assignedToday);
        return new Workloads() {
            @Override
            public int openClaims(String adjusterId) {
                return open.getOrDefault(adjusterId, 0);
            }

            @Override
            public int assignedToday(String adjusterId) {
                return today.getOrDefault(adjusterId, 0);
            }
        };
    }
}
