package io.claimshub.analytics;

import io.claimshub.store.RedisScripts;
import io.claimshub.store.RedisTemplates;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Recomputes every analytics record from the log into a new generation while the live counters keep counting (into
 * both generations), then switches the API to it in one atomic step and deletes the old generation. Each claim is
 * counted into the new generation from its own stream, once per version, by whichever gets there first: the pass
 * over the log or a live counter. A rebuild whose process stopped is resumed by the next one. See docs/analytics.md.
 */
public final class AnalyticsRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsRebuild.class);
    private static final RedisScript<String> START = RedisScripts.text("redis/analytics-rebuild-start.lua");
    private static final RedisScript<Long> SWITCH = RedisScripts.number("redis/analytics-rebuild-switch.lua");
    /** Pages of the log counted together. */
    private static final int WINDOW_PAGES = 10;

    /** A finished rebuild: the generation now live, the log entries read, how long it took. */
    public record Result(long generation, long entries, Duration took) {
    }

    private final StringRedisTemplate redis;
    private final AnalyticsStore store;
    private final String log;
    private final int pageSize;
    private final Clock clock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "analytics-rebuild");
        thread.setDaemon(true);
        return thread;
    });
    private Future<Result> running;

    public AnalyticsRebuild(RedisConnectionFactory connectionFactory, AnalyticsStore store, String log, int pageSize,
                            Clock clock) {
        this.redis = RedisTemplates.strings(connectionFactory);
        this.store = store;
        this.log = log;
        this.pageSize = pageSize;
        this.clock = clock;
    }

    /** Starts a rebuild in the background unless one runs in this instance; answers the generation it fills. */
    public synchronized long start() {
        long generation = begin();
        if (running == null || running.isDone()) {
            running = runner.submit(this::run);
        }
        return generation;
    }

    /** The running or last rebuild of this instance; null when none was started. */
    public synchronized Future<Result> current() {
        return running;
    }

    /** Runs a whole rebuild in the calling thread. */
    public Result run() {
        Instant started = clock.instant();
        AnalyticsKeys keys = store.keys();
        long generation = begin();
        LOG.info("analytics rebuild: counting {} into generation {}", log, generation);
        long entries = 0;
        String after = "-";
        List<LogEntry> window = new ArrayList<>(WINDOW_PAGES * pageSize);
        while (true) {
            List<LogEntry> page = page(after);
            window.addAll(page);
            // a window of pages counted together: a claim's events in it cost one read and one write of its cursor
            if (page.isEmpty() || window.size() >= WINDOW_PAGES * pageSize) {
                if (!window.isEmpty() && !store.countIntoRebuild(window, generation, pageSize)) {
                    throw new IllegalStateException("analytics rebuild of generation " + generation + " was switched or "
                            + "replaced by another instance's");
                }
                entries += window.size();
                window.clear();
            }
            if (page.isEmpty()) {
                break;
            }
            after = "(" + page.get(page.size() - 1).id();
        }
        long old = Long.parseLong(java.util.Objects.requireNonNullElse(redis.opsForValue().get(keys.generation()), "0"));
        Long switched = redis.execute(SWITCH, List.of(keys.generation(), keys.rebuilding(), keys.keySet(old),
                keys.keySet(generation)), Long.toString(generation), keys.livePrefix(), keys.rebuildPrefix());
        if (switched == null || switched != 1) {
            throw new IllegalStateException("analytics rebuild of generation " + generation + " was switched by another "
                    + "instance");
        }
        deleteCursors(old);
        Duration took = Duration.between(started, clock.instant());
        LOG.info("analytics rebuild: generation {} is live ({} log entries in {} ms); generation {} deleted", generation,
                entries, took.toMillis(), old);
        return new Result(generation, entries, took);
    }

    private long begin() {
        AnalyticsKeys keys = store.keys();
        return Long.parseLong(redis.execute(START, List.of(keys.generation(), keys.rebuilding())));
    }

    @SuppressWarnings("unchecked")
    private List<LogEntry> page(String after) {
        byte[][] args = {bytes(log), bytes(after), bytes("+"), bytes("COUNT"), bytes(Integer.toString(pageSize))};
        List<Object> reply = (List<Object>) redis.execute((RedisCallback<Object>) connection ->
                connection.execute("XRANGE", args));
        List<LogEntry> entries = new ArrayList<>(reply.size());
        for (Object raw : reply) {
            List<Object> entry = (List<Object>) raw;
            List<Object> pairs = (List<Object>) entry.get(1);
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                fields.put(string(pairs.get(i)), string(pairs.get(i + 1)));
            }
            entries.add(new LogEntry(string(entry.get(0)), fields));
        }
        return entries;
    }

    // the old generation's cursor fields, from every claim's cursor hash
    private void deleteCursors(long old) {
        byte[] field = bytes(AnalyticsKeys.cursorField(old));
        List<byte[]> batch = new ArrayList<>();
        try (Cursor<String> scan = redis.scan(ScanOptions.scanOptions().match(store.keys().cursorPattern()).count(1000).build())) {
            while (scan.hasNext()) {
                batch.add(bytes(scan.next()));
                if (batch.size() == 1000 || !scan.hasNext()) {
                    List<byte[]> keys = List.copyOf(batch);
                    redis.executePipelined((RedisCallback<Object>) connection -> {
                        keys.forEach(key -> connection.hashCommands().hDel(key, field));
                        return null;
                    });
                    batch.clear();
                }
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(Object raw) {
        return raw instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(raw);
    }
}
