package io.claimshub.analytics;

/** Where the business facts of events counted in the live generation go (the hub's Prometheus counters). */
@FunctionalInterface
public interface AnalyticsMetrics {

    AnalyticsMetrics NONE = metric -> { };

    void record(ClaimMetric metric);
}
