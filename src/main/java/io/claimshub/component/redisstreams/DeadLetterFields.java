package io.claimshub.component.redisstreams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names of the fields a dead-letter entry carries besides the original entry's own fields.
 */
public final class DeadLetterFields {

    /** The stream the entry was read from. */
    public static final String SOURCE_STREAM = "dlq.stream";
    /** The consumer group that gave up on the entry. */
    public static final String GROUP = "dlq.group";
    /** The group consumer that held the entry last. */
    public static final String CONSUMER = "dlq.consumer";
    /** The id of the entry in its source stream. */
    public static final String ENTRY_ID = "dlq.entryId";
    /** How many times the entry had been delivered. */
    public static final String DELIVERY_COUNT = "dlq.deliveryCount";
    /** Why it was dead-lettered. */
    public static final String REASON = "dlq.reason";
    /** The last processing error recorded for the entry, if any. */
    public static final String ERROR = "dlq.error";

    /**
     * How many times an operator replayed the entry before it failed again; absent on an entry that was never
     * replayed. A replayed entry that fails again comes back as a new dead letter carrying this count.
     */
    public static final String REPLAYS = "dlq.replays";
    /** The prefix of every field a dead letter adds to the original entry's fields. */
    public static final String PREFIX = "dlq.";

    /** The original fields kept only in part (cap), each as {@code name:bytes} with its full size, comma-separated. */
    public static final String TRUNCATED = "dlq.truncated";
    /** The original fields left out because not even a part of them fitted under the cap, comma-separated. */
    public static final String OMITTED = "dlq.omitted";

    /** Longest error text a dead letter keeps. */
    public static final int MAX_ERROR_LENGTH = 2000;

    /** How many bytes of the original entry's fields a dead letter keeps unless configured otherwise. */
    public static final int DEFAULT_MAX_ENTRY_BYTES = 16 * 1024;

    /** The reason of a dead letter the consumer wrote itself: the entry was delivered more than maxDeliveries times. */
    public static final String REASON_MAX_DELIVERIES = "max-deliveries-exceeded";
    /** The reason of a dead letter the route asked for without giving one. */
    static final String REASON_REJECTED = "rejected-by-route";

    private DeadLetterFields() {
    }

    /** The fields that say where a dead letter came from and why, in the order they lead the entry. */
    public static Map<String, String> describing(String sourceStream, String group, String consumer, String entryId,
                                                 long deliveryCount, String reason, String error) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(SOURCE_STREAM, sourceStream);
        fields.put(GROUP, group);
        fields.put(CONSUMER, consumer);
        fields.put(ENTRY_ID, entryId);
        fields.put(DELIVERY_COUNT, Long.toString(deliveryCount));
        fields.put(REASON, reason);
        fields.put(ERROR, error);
        return fields;
    }

    /** A processing error as a dead letter and the last errors hash keep it: its type and message, cut short. */
    public static String error(Throwable error) {
        return error(error.getClass().getName() + ": " + error.getMessage());
    }

    /**
     * The original entry's fields a dead letter keeps, within {@code maxBytes} (UTF-8, names and values, the
     * {@link #TRUNCATED} and {@link #OMITTED} marks included): first every field that fits whole, in order, so the
     * small reference fields (claim id, event id, ...) survive a huge payload; then, in the room left, the start of
     * each field that did not fit, named with its full size under {@link #TRUNCATED} (for an entry that is in no
     * claim stream it is the only copy). A field for which no room is left at all is named under {@link #OMITTED}.
     */
    public static Map<String, String> capped(Map<String, String> fields, int maxBytes) {
        List<String> oversized = new ArrayList<>();
        long used = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            long size = utf8Length(field.getKey()) + utf8Length(field.getValue());
            if (used + size <= maxBytes) {
                used += size;
            } else {
                oversized.add(field.getKey());
            }
        }
        if (oversized.isEmpty()) {
            return new LinkedHashMap<>(fields);
        }
        // room for the marks whichever way each oversized field ends up: cut short, or left out
        long marks = utf8Length(TRUNCATED) + utf8Length(OMITTED);
        for (String name : oversized) {
            marks += utf8Length(name) + 1 + Long.toString(utf8Length(fields.get(name))).length() + 1;
        }
        long room = maxBytes - used - marks;
        Map<String, String> prefixes = new LinkedHashMap<>();
        List<String> truncated = new ArrayList<>();
        List<String> omitted = new ArrayList<>();
        for (String name : oversized) {
            String value = fields.get(name);
            String prefix = utf8Prefix(value, room - utf8Length(name));
            if (prefix.isEmpty()) {
                omitted.add(name);
            } else {
                prefixes.put(name, prefix);
                truncated.add(name + ":" + utf8Length(value));
                room -= utf8Length(name) + utf8Length(prefix);
            }
        }
        Map<String, String> kept = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (prefixes.containsKey(name)) {
                kept.put(name, prefixes.get(name));
            } else if (!oversized.contains(name)) {
                kept.put(name, value);
            }
        });
        if (!truncated.isEmpty()) {
            kept.put(TRUNCATED, String.join(",", truncated));
        }
        if (!omitted.isEmpty()) {
            kept.put(OMITTED, String.join(",", omitted));
        }
        return kept;
    }

    /** The longest start of {@code text} of at most {@code maxBytes} UTF-8 bytes, never cutting a character in two. */
    private static String utf8Prefix(String text, long maxBytes) {
        long bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    /** The error text, cut to {@link #MAX_ERROR_LENGTH}. */
    public static String error(String text) {
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /** A dead-letter reason given by a route, cut to {@link #MAX_ERROR_LENGTH}; a blank one becomes {@link #REASON_REJECTED}. */
    static String reason(String text) {
        return text == null || text.isBlank() ? REASON_REJECTED : error(text);
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
