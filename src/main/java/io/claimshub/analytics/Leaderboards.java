package io.claimshub.analytics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The leaderboards: their stored sets (per UTC day and month) and the ranking the API shows. Members with equal
 * scores share a rank (1, 2, 2, 4) and are listed by name.
 */
public final class Leaderboards {

    /** Adjusters by claims decided (approved or rejected). */
    public static final String ADJUSTERS_DECIDED = "adjusters_decided";
    /** Per adjuster, the milliseconds of all their decisions (submission to decision); mean = this / decided. */
    public static final String ADJUSTERS_DECISION_MILLIS = "adjusters_decision_ms";
    public static final String ADJUSTERS_SLA_BREACHES = "adjusters_sla_breaches";

    private Leaderboards() {
    }

    /** Regions by amount paid in the currency's minor units. */
    public static String regionsPaid(String currency) {
        return "regions_paid:" + currency;
    }

    public static String typesPaid(String currency) {
        return "types_paid:" + currency;
    }

    public record Ranked(int rank, String member, double score) {
    }

    /**
     * Ranks {@code scores}: highest first ({@code descending}) or lowest first; ties share the rank of the first of
     * them and are ordered by member; the first {@code limit} places.
     */
    public static List<Ranked> rank(Map<String, Double> scores, boolean descending, int limit) {
        Comparator<Map.Entry<String, Double>> byScore = Map.Entry.comparingByValue();
        if (descending) {
            byScore = byScore.reversed();
        }
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(scores.entrySet());
        sorted.sort(byScore.thenComparing(Map.Entry.comparingByKey()));
        List<Ranked> ranked = new ArrayList<>();
        for (int i = 0; i < sorted.size() && i < limit; i++) {
            Map.Entry<String, Double> entry = sorted.get(i);
            int rank = i > 0 && sorted.get(i - 1).getValue().equals(entry.getValue()) ? ranked.get(i - 1).rank() : i + 1;
            ranked.add(new Ranked(rank, entry.getKey(), entry.getValue()));
        }
        return ranked;
    }

    /**
     * Adjusters by mean decision time, fastest first: only those with at least {@code minDecisions} decisions;
     * the mean in seconds, to the millisecond.
     */
    public static List<Ranked> byMeanDecisionTime(Map<String, Double> decided, Map<String, Double> decisionMillis,
                                                  int minDecisions, int limit) {
        Map<String, Double> means = new java.util.HashMap<>();
        decided.forEach((adjuster, count) -> {
            Double millis = decisionMillis.get(adjuster);
            if (count >= minDecisions && millis != null && count > 0) {
                means.put(adjuster, Math.round(millis / count) / 1000.0);
            }
        });
        return rank(means, false, limit);
    }
}
