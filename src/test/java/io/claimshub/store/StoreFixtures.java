package io.claimshub.store;

import io.claimshub.event.ClaimEventData;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventEnvelope;
import io.claimshub.testsupport.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.RedisCallback;

/** Fresh claims and raw stream reads for the store tests; every claim id and global log is new, so tests share Redis. */
final class StoreFixtures {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private StoreFixtures() {
    }

    static String newClaimId() {
        return ClaimIds.newClaimId();
    }

    static String newGlobalLog() {
        return TestRedis.uniqueKey("claims-events");
    }

    static EventEnvelope eventAt(String claimId, Instant at, ClaimEventData data) {
        return EventEnvelope.of(claimId, at, data);
    }

    /** A stream's entries as (entry id, fields in their stored order), read with a raw XRANGE. */
    static List<Map.Entry<String, Map<String, String>>> entries(String stream) {
        Object reply = TestRedis.template().execute((RedisCallback<Object>) connection ->
                connection.execute("XRANGE", bytes(stream), bytes("-"), bytes("+")));
        List<Map.Entry<String, Map<String, String>>> entries = new ArrayList<>();
        for (Object raw : (List<?>) reply) {
            List<?> entry = (List<?>) raw;
            List<?> pairs = (List<?>) entry.get(1);
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                fields.put(string(pairs.get(i)), string(pairs.get(i + 1)));
            }
            entries.add(Map.entry(string(entry.get(0)), fields));
        }
        return entries;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(Object raw) {
        return new String((byte[]) raw, StandardCharsets.UTF_8);
    }

    static long length(String stream) {
        Long size = TestRedis.template().opsForStream().size(stream);
        return size == null ? 0 : size;
    }
}
