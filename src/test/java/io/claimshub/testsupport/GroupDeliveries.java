package io.claimshub.testsupport;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.claimshub.component.redisstreams.RedisStreamsConstants;
import io.claimshub.component.redisstreams.RedisStreamsEntry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;

/**
 * Which log entries each watched consumer group's steps were handed, with how many times: a step woven first into
 * the group's steps route ({@code <group>-steps}) records the entry id of each exchange, or of each entry of a batch
 * exchange. Tests use it to see that an entry reached one group again and no other.
 */
public final class GroupDeliveries {

    private final Map<String, Map<String, Integer>> byGroup = new ConcurrentHashMap<>();

    private GroupDeliveries() {
    }

    /** Weaves the recording step into each group's steps route of the running hub. */
    public static GroupDeliveries watch(CamelContext context, String... groups) throws Exception {
        GroupDeliveries deliveries = new GroupDeliveries();
        for (String group : groups) {
            Map<String, Integer> seen = Collections.synchronizedMap(new LinkedHashMap<>());
            deliveries.byGroup.put(group, seen);
            AdviceWith.adviceWith(context, group + "-steps",
                    route -> route.weaveAddFirst().process(exchange -> record(exchange, seen)));
        }
        return deliveries;
    }

    private static void record(Exchange exchange, Map<String, Integer> seen) {
        if (exchange.getMessage().getBody() instanceof List<?> batch) {
            for (Object entry : batch) {
                if (entry instanceof RedisStreamsEntry streamEntry) {
                    seen.merge(streamEntry.id(), 1, Integer::sum);
                }
            }
        } else {
            String id = exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
            if (id != null) {
                seen.merge(id, 1, Integer::sum);
            }
        }
    }

    /** Entry ids the group's steps were handed, with how many times. */
    public Map<String, Integer> seenBy(String group) {
        Map<String, Integer> seen = byGroup.getOrDefault(group, Map.of());
        synchronized (seen) {
            return Map.copyOf(seen);
        }
    }
}
