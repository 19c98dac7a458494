package io.claimshub.ops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.claimshub.store.RedisTemplates;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The stream commands the operations beans issue, raw (so Redis 6.2 and 7 answer alike, exclusive ranges and
 * {@code MINID} included): ranges of entries, a stream's ends, its groups with their oldest unacknowledged entry,
 * and an exact trim.
 */
public final class StreamAdmin {

    /** One stream entry: its id and its fields, in order. */
    public record Entry(String id, Map<String, String> fields) {
    }

    /** A group of a stream: what it has been handed ({@code lastDelivered}) and its oldest pending entry, if any. */
    public record Group(String name, String lastDelivered, long pending, Optional<String> oldestPending) {
    }

    /** A stream's length and its first and last entry ids; empty ids for an empty or missing stream. */
    public record Ends(long length, Optional<String> first, Optional<String> last) {
    }

    private final StringRedisTemplate redis;

    public StreamAdmin(RedisConnectionFactory connectionFactory) {
        this.redis = RedisTemplates.strings(connectionFactory);
    }

    public StringRedisTemplate template() {
        return redis;
    }

    /** {@code XRANGE key start end COUNT n}; {@code start} may be exclusive ({@code (id}). */
    public List<Entry> range(String key, String start, String end, int count) {
        Object reply = execute(c -> c.execute("XRANGE", bytes(key), bytes(start), bytes(end), bytes("COUNT"),
                bytes(Integer.toString(count))));
        List<Entry> entries = new ArrayList<>();
        if (reply instanceof List<?> raw) {
            for (Object o : raw) {
                List<?> entry = (List<?>) o;
                List<?> pairs = (List<?>) entry.get(1);
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; pairs != null && i + 1 < pairs.size(); i += 2) {
                    fields.put(string(pairs.get(i)), string(pairs.get(i + 1)));
                }
                entries.add(new Entry(string(entry.get(0)), fields));
            }
        }
        return entries;
    }

    public Optional<Entry> entry(String key, String id) {
        List<Entry> found = range(key, id, id, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The stream's groups; none for a missing stream. */
    public List<Group> groups(String key) {
        List<Group> groups = new ArrayList<>();
        Object reply;
        try {
            reply = execute(c -> c.execute("XINFO", bytes("GROUPS"), bytes(key)));
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("no such key")) {
                return groups;
            }
            throw e;
        }
        for (Object o : (List<?>) reply) {
            Map<String, Object> info = pairs((List<?>) o);
            String name = string(info.get("name"));
            long pending = (Long) info.get("pending");
            Optional<String> oldest = Optional.empty();
            if (pending > 0) {
                List<?> summary = (List<?>) execute(c -> c.execute("XPENDING", bytes(key), bytes(name)));
                if (summary.get(1) != null) {
                    oldest = Optional.of(string(summary.get(1)));
                }
            }
            groups.add(new Group(name, string(info.get("last-delivered-id")), pending, oldest));
        }
        return groups;
    }

    public Ends ends(String key) {
        Long length = redis.execute((RedisCallback<Long>) c -> c.streamCommands().xLen(bytes(key)));
        if (length == null || length == 0) {
            return new Ends(0, Optional.empty(), Optional.empty());
        }
        List<Entry> first = range(key, "-", "+", 1);
        Object last = execute(c -> c.execute("XREVRANGE", bytes(key), bytes("+"), bytes("-"), bytes("COUNT"), bytes("1")));
        Optional<String> lastId = Optional.empty();
        if (last instanceof List<?> l && !l.isEmpty()) {
            lastId = Optional.of(string(((List<?>) l.get(0)).get(0)));
        }
        return new Ends(length, first.stream().findFirst().map(Entry::id), lastId);
    }

    /** {@code XTRIM key MINID minId} (exact): removes every entry whose id is below {@code minId}; answers how many. */
    public long trimBelow(String key, String minId) {
        Object removed = execute(c -> c.execute("XTRIM", bytes(key), bytes("MINID"), bytes(minId)));
        return removed instanceof Long n ? n : 0;
    }

    /** The smallest id above {@code id} ({@code ms-seq} to {@code ms-(seq+1)}). */
    public static String successor(String id) {
        String[] parts = id.split("-", 2);
        long seq = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
        return seq == Long.MAX_VALUE ? (Long.parseLong(parts[0]) + 1) + "-0" : parts[0] + "-" + (seq + 1);
    }

    /** Orders two entry ids as Redis does (time, then sequence). */
    public static int compareIds(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int byTime = Long.compareUnsigned(x[0], y[0]);
        return byTime != 0 ? byTime : Long.compareUnsigned(x[1], y[1]);
    }

    /** The entry id's time part, in epoch milliseconds. */
    public static long millis(String id) {
        return parse(id)[0];
    }

    /** Whether {@code text} is an entry id ({@code ms} or {@code ms-seq}, digits only). */
    public static boolean isId(String text) {
        return text != null && text.matches("\\d{1,19}(-\\d{1,19})?");
    }

    private static long[] parse(String id) {
        String[] parts = id.split("-", 2);
        return new long[] {Long.parseUnsignedLong(parts[0]), parts.length == 2 ? Long.parseUnsignedLong(parts[1]) : 0};
    }

    private Object execute(RedisCallback<Object> callback) {
        return redis.execute(callback);
    }

    private static Map<String, Object> pairs(List<?> flat) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(string(flat.get(i)), flat.get(i + 1));
        }
        return map;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String string(Object raw) {
        return raw instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(raw);
    }
}
