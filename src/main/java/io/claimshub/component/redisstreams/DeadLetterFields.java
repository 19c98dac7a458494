package io.claimshub.component.redisstreams;

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

    static final String REASON_MAX_DELIVERIES = "max-deliveries-exceeded";

    private DeadLetterFields() {
    }
}
