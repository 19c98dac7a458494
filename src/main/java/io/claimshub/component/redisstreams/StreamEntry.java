package io.claimshub.component.redisstreams;

import java.util.Map;

/**
 * One stream entry as read for a group consumer; {@code fields} is null when the entry was deleted (trimmed)
 * while still pending.
 */
record StreamEntry(String id, Map<String, String> fields, long deliveryCount) {

    boolean deleted() {
        return fields == null;
    }

    StreamEntry withDeliveryCount(long count) {
        return new StreamEntry(id, fields, count);
    }
}
