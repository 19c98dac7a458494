package io.claimshub.analytics;

/**
 * A business fact the hub's Prometheus counters follow, emitted once per claim event applied: a claim submitted,
 * decided ({@code decision} approved or rejected, with the seconds since submission) or paid.
 */
public record ClaimMetric(Kind kind, String claimType, String region, String decision, double seconds) {

    public enum Kind { SUBMITTED, DECIDED, PAID }
}
