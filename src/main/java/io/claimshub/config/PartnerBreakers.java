package io.claimshub.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.resilience4j.ResilienceProcessor;

/**
 * Every camel-resilience4j circuit breaker in the context (the payment API's, the policy database's, the notification
 * channels', and any added later), found by walking the routes: for the partner health check and the breaker-state
 * gauge {@code claimshub_partner_breaker_state{breaker, route}} (0 closed, 1 open, 2 half-open, 3 forced open or
 * disabled).
 */
public final class PartnerBreakers {

    /** One breaker: its id (the circuitBreaker step's id), its route and its state now. */
    public record Breaker(String id, String routeId, String state) {
        public boolean open() {
            return state.equals("OPEN") || state.equals("FORCED_OPEN");
        }
    }

    private final CamelContext context;
    private final Set<String> gauged = new HashSet<>();

    public PartnerBreakers(CamelContext context) {
        this.context = context;
    }

    public List<Breaker> all() {
        List<Breaker> breakers = new ArrayList<>();
        for (ResilienceProcessor processor : processors()) {
            breakers.add(new Breaker(name(processor), processor.getRouteId(), processor.getCircuitBreakerState()));
        }
        return breakers;
    }

    /** Registers a state gauge for each breaker not gauged yet. */
    public synchronized void bindTo(MeterRegistry registry) {
        for (ResilienceProcessor processor : processors()) {
            String key = processor.getRouteId() + "/" + processor.getId();
            if (gauged.add(key)) {
                Gauge.builder("claimshub.partner.breaker.state", processor, PartnerBreakers::stateValue)
                        .description("circuit breaker state: 0 closed, 1 open, 2 half-open, 3 forced open or disabled")
                        .tag("breaker", name(processor))
                        .tag("route", String.valueOf(processor.getRouteId()))
                        .register(registry);
            }
        }
    }

    /** The breaker's id when the route gave it one (payment-api), else its route's id (notification-sms-breaker). */
    static String name(ResilienceProcessor processor) {
        String id = processor.getId();
        return id == null || id.matches("(route-\\d+)?circuitBreaker\\d+") ? String.valueOf(processor.getRouteId()) : id;
    }

    static double stateValue(ResilienceProcessor processor) {
        String state = processor.getCircuitBreakerState();
        return switch (state == null ? "" : state) {
            case "CLOSED" -> 0;
            case "OPEN" -> 1;
            case "HALF_OPEN" -> 2;
            default -> 3;
        };
    }

    private List<ResilienceProcessor> processors() {
        List<ResilienceProcessor> found = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            for (Processor processor : route.filter("*")) {
                if (processor instanceof ResilienceProcessor resilience && resilience.getCircuitBreaker() != null) {
                    found.add(resilience);
                }
            }
        }
        return found;
    }
}
