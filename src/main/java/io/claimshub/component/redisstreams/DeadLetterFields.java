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

    /** The original fields left out because the entry would have been larger than the cap, comma-separated. */
    public static final String OMITTED = "dlq.omitted";

    /** Longest error text a dead letter keeps. */
    public static final int MAX_ERROR_LENGTH = 2000;

    /** How many bytes of the original entry's fields a dead letter keeps unless configured otherwise. */
    public static final int DEFAULT_MAX_ENTRY_BYTES = 16 * 1024;

    static final String REASON_MAX_DELIVERIES = "max-deliveries-exceeded";

    private DeadLetterFields() {
    }

    /**
     * The original entry's fields a dead letter keeps: each field, in order, while the kept ones stay within
     * {@code maxBytes} (UTF-8, names and values); a field that does not fit is left out whole and named under
     * {@link #OMITTED}, so the small reference fields (claim id, event id, ...) survive a huge payload.
     */
    public static Map<String, String> capped(Map<String, String> fields, int maxBytes) {
        Map<String, String> kept = new LinkedHashMap<>();
        List<String> omitted = new ArrayList<>();
        long used = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            long size = utf8Length(field.getKey()) + utf8Length(field.getValue());
            if (used + size <= maxBytes) {
                kept.put(field.getKey(), field.getValue());
                used += size;
            } else {
                omitted.add(field.getKey());
            }
        }
        if (!omitted.isEmpty()) {
            kept.put(OMITTED, String.join(",", omitted));
        }
        return kept;
    }

    /** The error text, cut to {@link #MAX_ERROR_LENGTH}. */
    public static String error(String text) {
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
