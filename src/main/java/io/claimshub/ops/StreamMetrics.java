package io.claimshub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.claimshub.component.redisstreams.GroupCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The streams' and consumer groups' figures as Prometheus gauges: every group found on the watched streams (found
 * anew at each collection, so groups added later are covered and removed ones disappear), collected with one script
 * per stream (a few commands per group) and kept for the scrapes until the next collection. The consumers' own
 * counters (delivered, acknowledged, dead-lettered) come from the redis-streams component. See docs/operations.md.
 */
public final class StreamMetrics {

    /** When the collection last succeeded, and what it saw. */
    public record Snapshot(Instant at, List<StreamStatus> streams) {
    }

    private final StreamInspector inspector;
    private final StringRedisTemplate redis;
    private final List<String> streams;
    private final Supplier<Collection<GroupCounters>> counters;
    private final Tags deadLetterTags;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, GaugeFamily> families = new HashMap<>();
    private final Set<List<String>> countedGroups = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot;
    private volatile double collectSeconds;
    private MeterRegistry registry;

    /**
     * @param streams        the streams watched (the log, dead-letter and outbox streams); a missing one shows nothing
     * @param counters       the consumers' counters
     * @param deadLetterTags tags of the dead-lettered counter beside stream, group and reason (the route's own
     *                       dead-letter counter carries them too: one metric for both)
     * @param maxAge         how old the figures may be before {@link #current()} collects them again
     */
    public StreamMetrics(StreamInspector inspector, StringRedisTemplate redis, List<String> streams,
                         Supplier<Collection<GroupCounters>> counters, Tags deadLetterTags, Clock clock,
                         Duration maxAge) {
        this.inspector = inspector;
        this.redis = redis;
        this.streams = List.copyOf(new LinkedHashSet<>(streams));
        this.counters = counters;
        this.deadLetterTags = deadLetterTags;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    public List<String> streams() {
        return streams;
    }

    /** Registers the figures' meters; rows per stream, group and consumer follow each collection. */
    public synchronized void bindTo(MeterRegistry meters) {
        registry = meters;
        Gauge.builder("claimshub.stream.metrics.age.seconds", this, StreamMetrics::ageSeconds)
                .description("seconds since the stream figures were last collected").register(meters);
        Gauge.builder("claimshub.stream.metrics.collect.seconds", this, m -> m.collectSeconds)
                .description("how long the last collection of the stream figures took").register(meters);
        family("claimshub.stream.length", "entries in the stream");
        family("claimshub.stream.first.entry.age.seconds", "age of the stream's oldest entry (by its id)");
        family("claimshub.stream.last.entry.age.seconds", "age of the stream's newest entry (by its id)");
        family("claimshub.stream.memory.bytes", "memory Redis uses for the stream (MEMORY USAGE)");
        family("claimshub.stream.group.lag", "entries the group has not been delivered yet");
        family("claimshub.stream.group.pending", "entries delivered to the group and not acknowledged");
        family("claimshub.stream.group.oldest.pending.age.seconds",
                "age (by its id) of the group's oldest unacknowledged entry; 0 when none");
        family("claimshub.stream.group.consumers", "consumers the group has");
        family("claimshub.stream.consumer.pending", "entries pending for the group consumer");
        family("claimshub.stream.consumer.idle.seconds", "seconds since the group consumer last read or claimed");
        family("claimshub.redis.memory.used.bytes", "used_memory of the Redis server");
        family("claimshub.redis.memory.max.bytes", "maxmemory of the Redis server (0: no limit)");
    }

    /** The figures, collected again when older than the cache interval. */
    public Snapshot current() {
        Snapshot seen = snapshot;
        if (seen != null && Duration.between(seen.at(), clock.instant()).compareTo(maxAge) < 0) {
            return seen;
        }
        return refresh();
    }

    /** Collects every watched stream's figures and updates the meters. */
    public synchronized Snapshot refresh() {
        long started = System.nanoTime();
        List<StreamStatus> seen = new ArrayList<>(streams.size());
        for (String stream : streams) {
            seen.add(inspector.status(stream));
        }
        Properties memory = redis.execute((RedisCallback<Properties>) c -> serverMemory(c));
        Instant now = clock.instant();
        Snapshot next = new Snapshot(now, List.copyOf(seen));
        collectSeconds = (System.nanoTime() - started) / 1e9;
        snapshot = next;
        if (registry != null) {
            publish(next, memory);
            registerCounters();
        }
        return next;
    }

    private static Properties serverMemory(RedisConnection connection) {
        Properties info = connection.serverCommands().info("memory");
        return info == null ? new Properties() : info;
    }

    private void publish(Snapshot seen, Properties memory) {
        Map<String, Map<Tags, Double>> rows = new HashMap<>();
        families.keySet().forEach(name -> rows.put(name, new HashMap<>()));
        long nowMillis = seen.at().toEpochMilli();
        for (StreamStatus stream : seen.streams()) {
            if (!stream.exists()) {
                continue;
            }
            Tags s = Tags.of("stream", stream.stream());
            rows.get("claimshub.stream.length").put(s, (double) stream.length());
            rows.get("claimshub.stream.memory.bytes").put(s, (double) stream.memoryBytes());
            if (!stream.firstId().isEmpty()) {
                rows.get("claimshub.stream.first.entry.age.seconds").put(s, age(nowMillis, stream.firstId()));
                rows.get("claimshub.stream.last.entry.age.seconds").put(s, age(nowMillis, stream.lastId()));
            }
            for (StreamStatus.Group group : stream.groups()) {
                Tags g = s.and("group", group.name());
                rows.get("claimshub.stream.group.lag").put(g, (double) group.lag());
                rows.get("claimshub.stream.group.pending").put(g, (double) group.pending());
                rows.get("claimshub.stream.group.oldest.pending.age.seconds").put(g,
                        group.oldestPendingId().isEmpty() ? 0.0 : age(nowMillis, group.oldestPendingId()));
                rows.get("claimshub.stream.group.consumers").put(g, (double) group.consumers().size());
                for (StreamStatus.Consumer consumer : group.consumers()) {
                    Tags c = g.and("consumer", consumer.name());
                    rows.get("claimshub.stream.consumer.pending").put(c, (double) consumer.pending());
                    rows.get("claimshub.stream.consumer.idle.seconds").put(c, consumer.idleMillis() / 1000.0);
                }
            }
        }
        rows.get("claimshub.redis.memory.used.bytes").put(Tags.empty(), number(memory, "used_memory"));
        rows.get("claimshub.redis.memory.max.bytes").put(Tags.empty(), number(memory, "maxmemory"));
        rows.forEach((name, values) -> families.get(name).update(values));
    }

    /** The consumers' counters, one set per stream and group this instance reads. */
    private void registerCounters() {
        for (GroupCounters c : counters.get()) {
            if (countedGroups.add(List.of(c.stream(), c.group()))) {
                Tags tags = Tags.of("stream", c.stream(), "group", c.group());
                FunctionCounter.builder("claimshub.stream.entries.delivered", c, GroupCounters::delivered)
                        .description("entries delivered to the group's consumers in this instance (redeliveries too)")
                        .tags(tags).register(registry);
                FunctionCounter.builder("claimshub.stream.entries.acknowledged", c, GroupCounters::acknowledged)
                        .description("entries the group's consumers in this instance acknowledged")
                        .tags(tags).register(registry);
                FunctionCounter.builder("claimshub.stream.entries.dead.lettered", c, GroupCounters::deadLettered)
                        .description("entries dead-lettered for the group in this instance, by reason")
                        .tags(deadLetterTags.and(tags).and("reason", "max-deliveries-exceeded")).register(registry);
            }
        }
    }

    private static double age(long nowMillis, String id) {
        return Math.max(0, nowMillis - StreamIds.millis(id)) / 1000.0;
    }

    private static double number(Properties info, String name) {
        String value = info.getProperty(name);
        try {
            return value == null ? Double.NaN : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private double ageSeconds() {
        Snapshot seen = snapshot;
        return seen == null ? Double.NaN : Duration.between(seen.at(), clock.instant()).toMillis() / 1000.0;
    }

    private void family(String name, String description) {
        families.put(name, new GaugeFamily(registry, name, description));
    }

    /** One gauge name whose rows (tag sets) come and go with the collections. */
    private static final class GaugeFamily {
        private final MeterRegistry registry;
        private final String name;
        private final String description;
        private final Map<Tags, Row> rows = new HashMap<>();

        GaugeFamily(MeterRegistry registry, String name, String description) {
            this.registry = registry;
            this.name = name;
            this.description = description;
        }

        void update(Map<Tags, Double> values) {
            values.forEach((tags, value) -> rows.computeIfAbsent(tags, this::register).value = value);
            rows.entrySet().removeIf(row -> {
                if (values.containsKey(row.getKey())) {
                    return false;
                }
                registry.remove(row.getValue().gauge);
                return true;
            });
        }

        private Row register(Tags tags) {
            Row row = new Row();
            row.gauge = Gauge.builder(name, row, r -> r.value).description(description).tags(tags).strongReference(true)
                    .register(registry);
            return row;
        }
    }

    private static final class Row {
        volatile double value;
        Gauge gauge;
    }
}
