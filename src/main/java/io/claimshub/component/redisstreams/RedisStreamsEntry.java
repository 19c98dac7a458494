package io.claimshub.component.redisstreams;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * One stream entry of a batch, as a consumer with {@code batching=true} hands it to the route in the body's list.
 *
 * @param id            the stream entry id
 * @param fields        the entry's fields, in the stream's order (read-only)
 * @param deliveryCount how many times the entry has been delivered to the group, this delivery included
 */
public record RedisStreamsEntry(String id, Map<String, String> fields, long deliveryCount) {

    public RedisStreamsEntry {
        Objects.requireNonNull(id, "id");
        fields = Collections.unmodifiableMap(Objects.requireNonNull(fields, "fields"));
    }
}
