package io.claimshub.component.redisstreams;

import org.apache.camel.spi.Metadata;

/**
 * Message headers of the {@code redis-streams} component.
 */
public final class RedisStreamsConstants {

    @Metadata(label = "consumer", description = "The key of the stream the entry was read from.", javaType = "String")
    public static final String STREAM_KEY = "CamelRedisStreamsStreamKey";
    @Metadata(description = "The stream entry id: on the consumer the entry read, on the producer the entry added.",
              javaType = "String")
    public static final String ENTRY_ID = "CamelRedisStreamsEntryId";
    @Metadata(label = "consumer", description = "The consumer group that read the entry.", javaType = "String")
    public static final String GROUP = "CamelRedisStreamsGroup";
    @Metadata(label = "consumer", description = "The name of the group consumer that read the entry.",
              javaType = "String")
    public static final String CONSUMER_NAME = "CamelRedisStreamsConsumerName";
    @Metadata(label = "consumer",
              description = "How many times the entry has been delivered to the group, this delivery included.",
              javaType = "long")
    public static final String DELIVERY_COUNT = "CamelRedisStreamsDeliveryCount";

    /**
     * Exchange property a route may set on a batch exchange ({@code batching=true}): the ids of the batch's entries to
     * leave pending for redelivery, as a {@code Collection<String>}, or as a {@code Map<String, String>} of id to the
     * error to record; the rest of the batch is acknowledged.
     */
    public static final String BATCH_RETRY = "CamelRedisStreamsBatchRetry";
    /**
     * Exchange property a route may set on a batch exchange ({@code batching=true}): a {@code Map<String, String>} of
     * entry id to the reason; each such entry is moved to the dead-letter stream with that reason and acknowledged.
     */
    public static final String BATCH_DEAD_LETTER = "CamelRedisStreamsBatchDeadLetter";

    private RedisStreamsConstants() {
    }
}
