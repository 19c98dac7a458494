package io.claimshub.config;

import io.claimshub.analytics.AnalyticsMetrics;
import io.claimshub.analytics.ClaimMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The analytics' Prometheus meters (names in the README): claims submitted, decided and paid by claim type and
 * region, and the decision time (submission to decision) as a histogram. Counted when this instance counts the event
 * into the live records, so across instances each event is counted once. Tag values are capped (a flood of invented
 * regions shows as {@code other}).
 */
public final class AnalyticsMeters implements AnalyticsMetrics {

    private static final int MAX_TAG_VALUES = 50;

    private volatile MeterRegistry registry;
    private final Set<String> tagValues = ConcurrentHashMap.newKeySet();

    void bindTo(MeterRegistry meters) {
        this.registry = meters;
    }

    @Override
    public void record(ClaimMetric metric) {
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        String type = tag(metric.claimType());
        String region = tag(metric.region());
        switch (metric.kind()) {
            case SUBMITTED -> Counter.builder("claimshub.analytics.claims.submitted")
                    .description("claims submitted, by claim type and region").tag("type", type).tag("region", region)
                    .register(meters).increment();
            case DECIDED -> {
                Counter.builder("claimshub.analytics.claims.decided")
                        .description("claims approved or rejected, by claim type, region and decision")
                        .tag("type", type).tag("region", region).tag("decision", metric.decision())
                        .register(meters).increment();
                DistributionSummary.builder("claimshub.analytics.decision.time").baseUnit("seconds")
                        .description("time from submission to decision").publishPercentileHistogram()
                        .register(meters).record(metric.seconds());
            }
            case PAID -> Counter.builder("claimshub.analytics.claims.paid")
                    .description("claims whose payment completed, by claim type and region")
                    .tag("type", type).tag("region", region).register(meters).increment();
        }
    }

    private String tag(String value) {
        if (value == null) {
            return "unknown";
        }
        if (tagValues.contains(value) || (tagValues.size() < MAX_TAG_VALUES && tagValues.add(value))) {
            return value;
        }
        return "other";
    }
}
