package io.claimshub.ops;

import java.util.ArrayList;
import java.util.List;

import io.claimshub.store.RedisScripts;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Reads a stream's figures in one round trip (a script of a few commands per group, never a walk over the entries
 * but for a bounded lag count on Redis 6.2), and counts a range of entries in bounded steps.
 */
public final class StreamInspector {

    private static final RedisScript<List<Object>> STATUS = RedisScripts.replies("redis/stream-status.lua");
    private static final RedisScript<List<Object>> COUNT_RANGE = RedisScripts.replies("redis/count-stream-range.lua");
    /** Entries counted per script call: Redis is held a few ms at most. */
    static final int COUNT_STEP = 10_000;

    private final StringRedisTemplate redis;
    private final long lagCountLimit;

    /**
     * @param lagCountLimit on Redis 6.2, the most entries counted per group for its lag; a larger backlog is
     *                      estimated from the entry ids' times
     */
    public StreamInspector(StringRedisTemplate redis, long lagCountLimit) {
        this.redis = redis;
        this.lagCountLimit = Math.max(1, lagCountLimit);
    }

    public StreamStatus status(String stream) {
        List<Object> answer = redis.execute(STATUS, List.of(stream), Long.toString(lagCountLimit));
        if (answer == null || answer.isEmpty() || number(answer.get(0)) == 0) {
            return StreamStatus.missing(stream);
        }
        long length = number(answer.get(1));
        String first = text(answer.get(2));
        String last = text(answer.get(3));
        List<StreamStatus.Group> groups = new ArrayList<>();
        for (Object raw : answer.subList(5, answer.size())) {
            List<?> g = (List<?>) raw;
            String delivered = text(g.get(1));
            boolean exact = number(g.get(3)) == 1;
            long lag = exact ? number(g.get(2)) : estimatedLag(number(g.get(2)), length, first, last, delivered);
            List<StreamStatus.Consumer> consumers = new ArrayList<>();
            List<?> c = (List<?>) g.get(6);
            for (int i = 0; i + 2 < c.size(); i += 3) {
                consumers.add(new StreamStatus.Consumer(text(c.get(i)), number(c.get(i + 1)), number(c.get(i + 2))));
            }
            groups.add(new StreamStatus.Group(text(g.get(0)), delivered, lag, exact, number(g.get(4)), text(g.get(5)),
                    List.copyOf(consumers)));
        }
        return new StreamStatus(stream, true, length, first, last, number(answer.get(4)), List.copyOf(groups));
    }

    /**
     * A backlog larger than the count limit: the share of the stream's time span after the group's position, times
     * its length; never below what was counted, never above the length.
     */
    static long estimatedLag(long counted, long length, String first, String last, String delivered) {
        double span = StreamIds.millis(last) - StreamIds.millis(first);
        double after = StreamIds.millis(last) - StreamIds.millis(delivered);
        long estimate = span <= 0 ? length : Math.round(length * Math.min(1.0, after / span));
        return Math.min(length, Math.max(counted, estimate));
    }

    /** How many entries the stream has after {@code fromExclusive} up to {@code toInclusive}. */
    public long count(String stream, String fromExclusive, String toInclusive) {
        long total = 0;
        String from = fromExclusive;
        while (StreamIds.compare(from, toInclusive) < 0) {
            List<Object> answer = redis.execute(COUNT_RANGE, List.of(stream), from, toInclusive,
                    Integer.toString(COUNT_STEP));
            long counted = number(answer.get(0));
            total += counted;
            if (counted < COUNT_STEP) {
                break;
            }
            from = text(answer.get(1));
        }
        return total;
    }

    private static long number(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        String text = text(value);
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : value.toString();
    }
}
