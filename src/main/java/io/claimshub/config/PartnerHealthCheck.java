package io.claimshub.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The partners behind circuit breakers (payment API, policy database, notification channels): an open breaker is
 * named in the details and makes the check {@code DEGRADED} (detail {@code status} and the message), as
 * {@link StreamGroupsHealthCheck} reports a slow group; the check stays UP, so a partner being down never turns the
 * hub DOWN.
 */
public final class PartnerHealthCheck extends AbstractHealthCheck {

    private final PartnerBreakers breakers;

    public PartnerHealthCheck(PartnerBreakers breakers) {
        super("hub", "partners");
        this.breakers = breakers;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        List<String> open = new ArrayList<>();
        for (PartnerBreakers.Breaker breaker : breakers.all()) {
            String name = breaker.id();
            builder.detail("breaker." + name + ".route", breaker.routeId());
            builder.detail("breaker." + name + ".state", breaker.state());
            if (breaker.open()) {
                open.add("circuit breaker " + name + " (route " + breaker.routeId() + ") is " + breaker.state());
            }
        }
        builder.detail("status", open.isEmpty() ? StreamGroupsHealthCheck.OK : StreamGroupsHealthCheck.DEGRADED);
        if (!open.isEmpty()) {
            builder.detail("degraded", String.join("; ", open));
            builder.message("DEGRADED: " + String.join("; ", open));
        }
    }
}
