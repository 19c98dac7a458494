package io.claimshub.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Edits a stream "by hand", as someone with write access to Redis could: XADD cannot change an entry, so the stream
 * is deleted and written again, entry ids kept, in one script.
 */
public final class StreamRewrites {

    // KEYS[1] the stream; ARGV: per entry its id, the number n of field/value arguments, then those n
    private static final RedisScript<Long> REWRITE = RedisScript.of("""
            redis.call('DEL', KEYS[1])
            local a = 1
            while a <= #ARGV do
              local id, n = ARGV[a], tonumber(ARGV[a + 1])
              redis.call('XADD', KEYS[1], id, unpack(ARGV, a + 2, a + 1 + n))
              a = a + 2 + n
            end
            return redis.call('XLEN', KEYS[1])
            """, Long.class);

    /** One stream entry: its id and field/value pairs in order. */
    public record Entry(String id, List<Map.Entry<String, String>> fields) {
    }

    private StreamRewrites() {
    }

    /** Writes the stream again as these entries (ids ascending). */
    public static void rewrite(StringRedisTemplate redis, String stream, List<Entry> entries) {
        List<String> args = new ArrayList<>();
        for (Entry entry : entries) {
            args.add(entry.id());
            args.add(Integer.toString(entry.fields().size() * 2));
            entry.fields().forEach(field -> {
                args.add(field.getKey());
                args.add(field.getValue());
            });
        }
        redis.execute(REWRITE, List.of(stream), args.toArray());
    }

    /** A copy of the fields with {@code field}'s value changed by {@code change}. */
    public static List<Map.Entry<String, String>> with(List<Map.Entry<String, String>> fields, String field,
                                                       UnaryOperator<String> change) {
        List<Map.Entry<String, String>> changed = new ArrayList<>();
        boolean found = false;
        for (Map.Entry<String, String> pair : fields) {
            if (pair.getKey().equals(field)) {
                changed.add(Map.entry(field, change.apply(pair.getValue())));
                found = true;
            } else {
                changed.add(pair);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no field " + field + " in " + fields);
        }
        return changed;
    }

    /** A copy of the fields without {@code field}. */
    public static List<Map.Entry<String, String>> without(List<Map.Entry<String, String>> fields, String field) {
        return fields.stream().filter(pair -> !pair.getKey().equals(field)).toList();
    }
}
