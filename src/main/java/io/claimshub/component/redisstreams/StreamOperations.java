package io.claimshub.component.redisstreams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoConsumer;
import org.springframework.data.redis.connection.stream.StreamRecords;

/**
 * The Redis stream commands the component issues, on one connection from the hub's connection factory. Reads use
 * the raw command so that entries deleted while pending (nil fields) are seen rather than dropped.
 */
final class StreamOperations implements AutoCloseable {

    /**
     * Moves a poison entry to the dead-letter stream and acknowledges it, only if this consumer still owns it. ARGV:
     * group, consumer, entry id, max length, the name of the error field, how many ARGV the dead-letter fields take,
     * those fields (the error's value filled in here from the last errors hash), then the entry's own fields.
     */
    private static final byte[] DEAD_LETTER_SCRIPT = bytes("""
            local owned = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
            if #owned == 0 then return 0 end
            local err = redis.call('HGET', KEYS[3], ARGV[3])
            if not err then err = '' end
            local args = {KEYS[2]}
            if tonumber(ARGV[4]) > 0 then args = {KEYS[2], 'MAXLEN', '~', ARGV[4]} end
            args[#args + 1] = '*'
            local described = 6 + tonumber(ARGV[6])
            for i = 7, described, 2 do
              args[#args + 1] = ARGV[i]
              if ARGV[i] == ARGV[5] then args[#args + 1] = err else args[#args + 1] = ARGV[i + 1] end
            end
            for i = described + 1, #ARGV do args[#args + 1] = ARGV[i] end
            redis.call('XADD', unpack(args))
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
            redis.call('HDEL', KEYS[3], ARGV[3])
            return 1
            """);

    /** Deletes a group consumer only while it has no pending entries, so no entry loses its owner. */
    private static final byte[] DELETE_IDLE_CONSUMER_SCRIPT = bytes("""
            local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
            if #pending > 0 then return -1 end
            return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
            """);

    private final RedisConnection connection;

    StreamOperations(RedisConnectionFactory factory) {
        this.connection = factory.getConnection();
    }

    /** {@code XREADGROUP GROUP g c COUNT n [BLOCK ms] STREAMS key id}; id {@code >} reads new entries. */
    List<StreamEntry> readGroup(String key, String group, String consumer, int count, long blockMs, String id) {
        return readGroupAfterAck(key, group, consumer, count, blockMs, id, List.of());
    }

    /**
     * {@code XACK} of {@code ackIds} (entries already completed) and then {@code XREADGROUP}, sent together in one
     * pipeline: one round trip per batch instead of two. Redis runs the acknowledgement first; if the connection
     * fails, the caller cannot tell whether it was applied and must treat the ids as not acknowledged.
     */
    List<StreamEntry> readGroupAfterAck(String key, String group, String consumer, int count, long blockMs, String id,
                                        Collection<String> ackIds) {
        List<byte[]> args = new ArrayList<>(10);
        add(args, "GROUP", group, consumer, "COUNT", Integer.toString(count));
        if (blockMs > 0) {
            add(args, "BLOCK", Long.toString(blockMs));
        }
        add(args, "STREAMS", key, id);
        Object reply;
        if (ackIds.isEmpty()) {
            reply = connection.execute("XREADGROUP", args.toArray(new byte[0][]));
        } else {
            List<byte[]> ack = new ArrayList<>(2 + ackIds.size());
            add(ack, key, group);
            for (String ackId : ackIds) {
                ack.add(bytes(ackId));
            }
            connection.openPipeline();
            List<Object> replies;
            try {
                connection.execute("XACK", ack.toArray(new byte[0][]));
                connection.execute("XREADGROUP", args.toArray(new byte[0][]));
            } finally {
                replies = connection.closePipeline();
            }
            reply = replies.get(1);
        }
        if (!(reply instanceof List<?> streams) || streams.isEmpty()) {
            return List.of();
        }
        List<?> stream = (List<?>) streams.get(0);
        return entries((List<?>) stream.get(1), ">".equals(id) ? 1 : 0);
    }

    /** {@code XAUTOCLAIM}: takes over entries idle longer than {@code minIdleMs} from any consumer of the group. */
    AutoClaimed autoClaim(String key, String group, String consumer, long minIdleMs, String cursor, int count) {
        Object reply = connection.execute("XAUTOCLAIM", bytes(key), bytes(group), bytes(consumer),
                bytes(Long.toString(minIdleMs)), bytes(cursor), bytes("COUNT"), bytes(Integer.toString(count)));
        List<?> parts = (List<?>) reply;
        String next = string(parts.get(0));
        List<?> raw = (List<?>) parts.get(1);
        boolean unnamedDeletions = raw.stream().anyMatch(e -> e == null);
        return new AutoClaimed(next, entries(raw, 0), unnamedDeletions);
    }

    /** Delivery counts of the entries pending for {@code consumer} between two ids (inclusive). */
    Map<String, Long> deliveryCounts(String key, String group, String consumer, String first, String last, int count) {
        Object reply = connection.execute("XPENDING", bytes(key), bytes(group), bytes(first), bytes(last),
                bytes(Integer.toString(count)), bytes(consumer));
        Map<String, Long> counts = new HashMap<>();
        for (Object o : (List<?>) reply) {
            List<?> p = (List<?>) o;
            counts.put(string(p.get(0)), (Long) p.get(3));
        }
        return counts;
    }

    /**
     * The entries with the delivery counts Redis keeps; an entry no longer pending for {@code consumer} is dropped
     * (another consumer took it over). {@code slack}: how many more pending entries the range may hold.
     */
    List<StreamEntry> ownedWithDeliveryCounts(String key, String group, String consumer, List<StreamEntry> entries, int slack) {
        if (entries.isEmpty()) {
            return entries;
        }
        Map<String, Long> counts = deliveryCounts(key, group, consumer, entries.get(0).id(),
                entries.get(entries.size() - 1).id(), entries.size() + slack);
        List<StreamEntry> owned = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            Long count = counts.get(entry.id());
            if (count != null) {
                owned.add(entry.withDeliveryCount(count));
            }
        }
        return owned;
    }

    /** Whether the entry still exists in the stream (it may have been trimmed while pending). */
    boolean exists(String key, String id) {
        Object reply = connection.execute("XRANGE", bytes(key), bytes(id), bytes(id));
        return reply instanceof List<?> l && !l.isEmpty();
    }

    void ack(String key, String group, Collection<String> ids) {
        if (!ids.isEmpty()) {
            connection.streamCommands().xAck(bytes(key), group, ids.toArray(new String[0]));
        }
    }

    /** Creates the group (and the stream); false when it already exists. */
    boolean createGroup(String key, String group, String startId) {
        try {
            connection.execute("XGROUP", bytes("CREATE"), bytes(key), bytes(group), bytes(startId), bytes("MKSTREAM"));
            return true;
        } catch (RuntimeException e) {
            if (RedisErrors.isBusyGroup(e)) {
                return false;
            }
            throw e;
        }
    }

    List<XInfoConsumer> consumers(String key, String group) {
        List<XInfoConsumer> result = new ArrayList<>();
        connection.streamCommands().xInfoConsumers(bytes(key), group).forEach(result::add);
        return result;
    }

    boolean deleteConsumerIfIdle(String key, String group, String consumer) {
        Long deleted = connection.scriptingCommands().eval(DELETE_IDLE_CONSUMER_SCRIPT, ReturnType.INTEGER, 1,
                bytes(key), bytes(group), bytes(consumer));
        return deleted != null && deleted >= 0;
    }

    /**
     * Atomically copies the entry to the dead-letter stream (trimmed to about {@code maxLen} entries, 0: untrimmed)
     * and acknowledges it; false if another consumer owns it now.
     */
    boolean deadLetter(String key, String deadLetterStream, String errorsKey, String group, String consumer,
                       StreamEntry entry, String reason, int maxEntryBytes, long maxLen) {
        List<byte[]> keysAndArgs = new ArrayList<>();
        add(keysAndArgs, key, deadLetterStream, errorsKey, group, consumer, entry.id(), Long.toString(maxLen),
                DeadLetterFields.ERROR);
        // the last error is read inside the script, atomically with the move
        Map<String, String> described = DeadLetterFields.describing(key, group, consumer, entry.id(),
                entry.deliveryCount(), reason, "");
        add(keysAndArgs, Integer.toString(2 * described.size()));
        described.forEach((k, v) -> add(keysAndArgs, k, v));
        DeadLetterFields.capped(entry.fields(), maxEntryBytes).forEach((k, v) -> add(keysAndArgs, k, v));
        Long moved = connection.scriptingCommands().eval(DEAD_LETTER_SCRIPT, ReturnType.INTEGER, 3,
                keysAndArgs.toArray(new byte[0][]));
        return moved != null && moved == 1;
    }

    void recordError(String errorsKey, String id, String error) {
        connection.hashCommands().hSet(bytes(errorsKey), bytes(id), bytes(error));
    }

    /** The last errors of several entries, in one {@code HSET}. */
    void recordErrors(String errorsKey, Map<String, String> errors) {
        if (!errors.isEmpty()) {
            Map<byte[], byte[]> raw = new LinkedHashMap<>();
            errors.forEach((id, error) -> raw.put(bytes(id), bytes(error)));
            connection.hashCommands().hMSet(bytes(errorsKey), raw);
        }
    }

    void clearErrors(String errorsKey, Collection<String> ids) {
        if (!ids.isEmpty()) {
            connection.hashCommands().hDel(bytes(errorsKey), ids.stream().map(StreamOperations::bytes).toArray(byte[][]::new));
        }
    }

    String add(String key, Map<String, String> fields, long maxLen, boolean approximate) {
        Map<byte[], byte[]> raw = new LinkedHashMap<>();
        fields.forEach((k, v) -> raw.put(bytes(k), bytes(v)));
        MapRecord<byte[], byte[], byte[]> record = StreamRecords.newRecord().in(bytes(key)).ofMap(raw);
        XAddOptions options = maxLen > 0 ? XAddOptions.maxlen(maxLen).approximateTrimming(approximate) : XAddOptions.none();
        RecordId id = connection.streamCommands().xAdd(record, options);
        return id.getValue();
    }

    @Override
    public void close() {
        connection.close();
    }

    private static List<StreamEntry> entries(List<?> raw, long deliveryCount) {
        List<StreamEntry> result = new ArrayList<>(raw.size());
        for (Object o : raw) {
            if (o == null) {
                continue; // Redis 6.2 XAUTOCLAIM answers nil, without the id, for an entry deleted while pending
            }
            List<?> entry = (List<?>) o;
            List<?> pairs = (List<?>) entry.get(1);
            Map<String, String> fields = null;
            if (pairs != null) {
                fields = new LinkedHashMap<>(pairs.size());
                for (int i = 0; i + 1 < pairs.size(); i += 2) {
                    fields.put(string(pairs.get(i)), string(pairs.get(i + 1)));
                }
            }
            result.add(new StreamEntry(string(entry.get(0)), fields, deliveryCount));
        }
        return result;
    }

    private static void add(List<byte[]> args, String... values) {
        for (String v : values) {
            args.add(bytes(v));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(Object raw) {
        return new String((byte[]) raw, StandardCharsets.UTF_8);
    }

    record AutoClaimed(String nextCursor, List<StreamEntry> entries, boolean unnamedDeletions) {
    }
}
