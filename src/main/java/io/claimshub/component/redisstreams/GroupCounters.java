package io.claimshub.component.redisstreams;

import java.util.concurrent.atomic.LongAdder;

/**
 * What this instance's consumers of one stream and group did since start: entries delivered to an exchange,
 * entries completed (acknowledged) and entries the consumer moved to the dead-letter stream after too many
 * deliveries. Kept by the component, so they survive a route restart; read them with
 * {@link RedisStreamsComponent#groupCounters()}.
 */
public final class GroupCounters {

    private final String stream;
    private final String group;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();

    GroupCounters(String stream, String group) {
        this.stream = stream;
        this.group = group;
    }

    public String stream() {
        return stream;
    }

    public String group() {
        return group;
    }

    /** Entries handed to the route (a redelivery counts again). */
    public long delivered() {
        return delivered.sum();
    }

    /** Entries whose exchange completed, so they are acknowledged (or trimmed away while pending). */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Entries moved to the dead-letter stream by the consumer ({@code max-deliveries-exceeded}). */
    public long deadLettered() {
        return deadLettered.sum();
    }

    void onDelivered() {
        delivered.increment();
    }

    void onAcknowledged() {
        acknowledged.increment();
    }

    void onDeadLettered() {
        deadLettered.increment();
    }
}
