package io.claimshub.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The access audit stream ({@link SecurityKeys#accessAudit()}): one entry per API request, written when its answer
 * has been sent, with who, roles, method, path, claim id, status, time and source address; never anything of the
 * body or the query string. Entries are queued and written by one thread in pipelined batches ({@code MAXLEN ~}
 * {@code maxEntries}), so a request does not wait for its record; the queue is flushed when the hub stops. A record
 * that finds the queue full (Redis away for a long time) is dropped and counted in the log.
 */
public final class AccessAudit implements AutoCloseable {

    public static final String AT = "at";
    public static final String SUBJECT = "subject";
    public static final String ROLES = "roles";
    public static final String METHOD = "method";
    public static final String PATH = "path";
    public static final String CLAIM_ID = "claimId";
    public static final String STATUS = "status";
    public static final String SOURCE = "source";

    private static final Logger LOG = LoggerFactory.getLogger(AccessAudit.class);
    private static final int BATCH = 500;
    private static final Map<String, String> STOP = Map.of();

    private final StringRedisTemplate redis;
    private final String stream;
    private final long maxEntries;
    private final Clock clock;
    private final BlockingQueue<Map<String, String>> queue = new ArrayBlockingQueue<>(100_000);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    public AccessAudit(StringRedisTemplate redis, SecurityKeys keys, long maxEntries, Clock clock) {
        this.redis = redis;
        this.stream = keys.accessAudit();
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.writer = new Thread(this::write, "access-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public String stream() {
        return stream;
    }

    /** Queues one request's record; {@code caller} null for a request that was not authenticated. */
    public void record(Caller caller, String method, String path, String claimId, int status, String source) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put(AT, clock.instant().toString());
        entry.put(SUBJECT, caller == null ? "-" : caller.subject());
        entry.put(ROLES, caller == null ? "" : caller.roleNames());
        entry.put(METHOD, method);
        entry.put(PATH, path);
        entry.put(CLAIM_ID, claimId == null ? "" : claimId);
        entry.put(STATUS, Integer.toString(status));
        entry.put(SOURCE, source == null ? "" : source);
        if (closed || !queue.offer(entry)) {
            long count = dropped.incrementAndGet();
            if (count == 1 || count % 1000 == 0) {
                LOG.warn("Access audit records dropped: {} so far (the writer cannot keep up or Redis is away)", count);
            }
        }
    }

    private void write() {
        List<Map<String, String>> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                Map<String, String> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                if (first == STOP) {
                    return;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                boolean stop = batch.remove(STOP);
                flush(batch);
                if (stop) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void flush(List<Map<String, String>> batch) throws InterruptedException {
        long delay = 100;
        while (!batch.isEmpty()) {
            try {
                XAddOptions options = XAddOptions.maxlen(maxEntries).approximateTrimming(true);
                redis.executePipelined((RedisCallback<Object>) connection -> {
                    for (Map<String, String> entry : batch) {
                        MapRecord<byte[], byte[], byte[]> record = StreamRecords.newRecord()
                                .in(stream.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .ofMap(bytes(entry));
                        connection.streamCommands().xAdd(record, options);
                    }
                    return null;
                });
                batch.clear();
            } catch (RuntimeException e) {
                if (closed) {
                    LOG.warn("Access audit: {} records could not be written at shutdown: {}", batch.size(),
                            e.getClass().getSimpleName());
                    batch.clear();
                    return;
                }
                LOG.warn("Access audit records not written yet (retrying): {}", e.getClass().getSimpleName());
                Thread.sleep(delay);
                delay = Math.min(5000, delay * 2);
            }
        }
    }

    private static Map<byte[], byte[]> bytes(Map<String, String> entry) {
        Map<byte[], byte[]> map = new LinkedHashMap<>();
        entry.forEach((k, v) -> map.put(k.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return map;
    }

    /** Writes what is queued, then stops the writer (waits up to 5 s). */
    @Override
    public void close() {
        closed = true;
        queue.offer(STOP);
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
