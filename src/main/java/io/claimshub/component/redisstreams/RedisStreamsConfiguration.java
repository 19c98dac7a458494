package io.claimshub.component.redisstreams;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of a {@code redis-streams} endpoint; set on the component they become every endpoint's defaults.
 */
@UriParams
public class RedisStreamsConfiguration implements Cloneable {

    @UriPath(description = "The key of the Redis stream.")
    @Metadata(required = true)
    private String streamKey;

    @UriParam(label = "consumer", description = "The consumer group to read in; created if missing.")
    private String group;
    @UriParam(label = "consumer",
              description = "Base name of this process's group consumers; each consumer thread appends -<n>. "
                            + "Defaults to <hostname>-<pid>, which is stable for the life of the process.")
    private String consumerName;
    @UriParam(label = "consumer", defaultValue = "beginning",
              description = "Where a new group starts: beginning (every entry in the stream) or latest (only new entries).")
    private StartPosition startPosition = StartPosition.beginning;
    @UriParam(label = "consumer", defaultValue = "1",
              description = "Number of consumer threads, each a group consumer of its own (competing consumers).")
    private int concurrentConsumers = 1;
    @UriParam(label = "consumer", defaultValue = "100", description = "Maximum entries fetched per XREADGROUP / XAUTOCLAIM.")
    private int count = 100;
    @UriParam(label = "consumer", defaultValue = "2000",
              description = "How long XREADGROUP blocks waiting for entries (ms); must be shorter than the client's socket timeout.")
    private long block = 2000;
    @UriParam(label = "consumer", defaultValue = "60000",
              description = "An entry pending longer than this (ms) is taken over from its consumer with XAUTOCLAIM.")
    private long claimMinIdle = 60000;
    @UriParam(label = "consumer", defaultValue = "10000",
              description = "How often (ms) the consumer looks for pending entries to take over.")
    private long claimInterval = 10000;
    @UriParam(label = "consumer", defaultValue = "5",
              description = "An entry delivered more than this many times is moved to the dead-letter stream and acknowledged.")
    private int maxDeliveries = 5;
    @UriParam(label = "consumer", description = "Stream that receives poison entries. Defaults to <streamKey>:dlq.")
    private String deadLetterStream;
    @UriParam(label = "consumer", defaultValue = "16384",
              description = "Most bytes of the original entry's fields a dead letter keeps; of a larger field its start is kept and named in dlq.truncated.")
    private int deadLetterMaxEntryBytes = DeadLetterFields.DEFAULT_MAX_ENTRY_BYTES;
    @UriParam(label = "consumer", defaultValue = "0",
              description = "Trim the dead-letter stream to about this many entries (MAXLEN ~) on each dead letter; 0 does not trim.")
    private long deadLetterMaxLen;
    @UriParam(label = "consumer", defaultValue = "3600000",
              description = "Group consumers idle longer than this (ms) and with no pending entries are deleted; 0 keeps them.")
    private long idleConsumerTimeout = 3_600_000;
    @UriParam(label = "consumer", defaultValue = "true",
              description = "Read the next batch on a second connection while the current one is processed. Entries read "
                            + "ahead are pending for this consumer like any other; a crash leaves them to be re-read or taken over.")
    private boolean readAhead = true;
    @UriParam(label = "consumer", defaultValue = "0",
              description = "After a batch smaller than count, wait this long (ms, counted from that batch's arrival) before "
                            + "reading again, so that entries gather into larger batches: fewer reads and acknowledgements "
                            + "per entry for groups where a few milliseconds do not matter. A full batch is followed at once. "
                            + "0 reads again at once.")
    private long readDelay;
    @UriParam(label = "consumer", defaultValue = "false",
              description = "One exchange per read (up to count entries) instead of one per entry: its body a "
                            + "java.util.List of RedisStreamsEntry (id, fields, delivery count). The batch is acknowledged in one "
                            + "XACK once the exchange completed; if it fails, every entry stays pending. The route can "
                            + "leave single entries pending (exchange property CamelRedisStreamsBatchRetry: ids) or "
                            + "dead-letter them (CamelRedisStreamsBatchDeadLetter: id to reason) and the rest is "
                            + "acknowledged. Entries trimmed while pending or delivered more than maxDeliveries times "
                            + "are handled before the batch and are not in it.")
    private boolean batching;
    @UriParam(label = "consumer,advanced", defaultValue = "100",
              description = "First delay (ms) before reconnecting after a Redis error; it doubles on each further failure.")
    private long reconnectDelay = 100;
    @UriParam(label = "consumer,advanced", defaultValue = "5000",
              description = "Longest delay (ms) between reconnection attempts.")
    private long reconnectMaxDelay = 5000;
    @UriParam(label = "consumer,advanced", defaultValue = "30000",
              description = "How long (ms) a stopping consumer waits for in-flight entries before giving up on them.")
    private long shutdownTimeout = 30000;

    @UriParam(label = "producer", defaultValue = "0",
              description = "Trim the stream to about this many entries on each XADD (MAXLEN ~); 0 does not trim.")
    private long maxLen;
    @UriParam(label = "producer", defaultValue = "true",
              description = "Use approximate (~) trimming, which is much cheaper for Redis; false trims exactly (=).")
    private boolean approximateTrimming = true;
    @UriParam(defaultValue = "body",
              description = "Field that carries a body that is not a map (producer) and is the body when an entry has only that field.")
    private String bodyField = "body";

    public RedisStreamsConfiguration copy() {
        try {
            return (RedisStreamsConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getStreamKey() {
        return streamKey;
    }

    public void setStreamKey(String streamKey) {
        this.streamKey = streamKey;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getConsumerName() {
        return consumerName;
    }

    public void setConsumerName(String consumerName) {
        this.consumerName = consumerName;
    }

    public StartPosition getStartPosition() {
        return startPosition;
    }

    public void setStartPosition(StartPosition startPosition) {
        this.startPosition = startPosition;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public int getCount() {
        return count;
    }

    public void setCount(int count) {
        this.count = count;
    }

    public long getBlock() {
        return block;
    }

    public void setBlock(long block) {
        this.block = block;
    }

    public long getClaimMinIdle() {
        return claimMinIdle;
    }

    public void setClaimMinIdle(long claimMinIdle) {
        this.claimMinIdle = claimMinIdle;
    }

    public long getClaimInterval() {
        return claimInterval;
    }

    public void setClaimInterval(long claimInterval) {
        this.claimInterval = claimInterval;
    }

    public int getMaxDeliveries() {
        return maxDeliveries;
    }

    public void setMaxDeliveries(int maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public String getDeadLetterStream() {
        return deadLetterStream;
    }

    public void setDeadLetterStream(String deadLetterStream) {
        this.deadLetterStream = deadLetterStream;
    }

    public int getDeadLetterMaxEntryBytes() {
        return deadLetterMaxEntryBytes;
    }

    public void setDeadLetterMaxEntryBytes(int deadLetterMaxEntryBytes) {
        this.deadLetterMaxEntryBytes = deadLetterMaxEntryBytes;
    }

    public long getDeadLetterMaxLen() {
        return deadLetterMaxLen;
    }

    public void setDeadLetterMaxLen(long deadLetterMaxLen) {
        this.deadLetterMaxLen = deadLetterMaxLen;
    }

    /** The dead-letter stream in effect: the configured one or {@code <streamKey>:dlq}. */
    public String resolvedDeadLetterStream() {
        return deadLetterStream != null ? deadLetterStream : RedisStreamsKeys.defaultDeadLetterStream(streamKey);
    }

    public long getReadDelay() {
        return readDelay;
    }

    public void setReadDelay(long readDelay) {
        if (readDelay < 0) {
            throw new IllegalArgumentException("readDelay must be 0 or more (ms); was " + readDelay);
        }
        this.readDelay = readDelay;
    }

    public boolean isReadAhead() {
        return readAhead;
    }

    public void setReadAhead(boolean readAhead) {
        this.readAhead = readAhead;
    }

    public boolean isBatching() {
        return batching;
    }

    public void setBatching(boolean batching) {
        this.batching = batching;
    }

    public long getIdleConsumerTimeout() {
        return idleConsumerTimeout;
    }

    public void setIdleConsumerTimeout(long idleConsumerTimeout) {
        this.idleConsumerTimeout = idleConsumerTimeout;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public void setReconnectMaxDelay(long reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public long getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(long shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public long getMaxLen() {
        return maxLen;
    }

    public void setMaxLen(long maxLen) {
        this.maxLen = maxLen;
    }

    public boolean isApproximateTrimming() {
        return approximateTrimming;
    }

    public void setApproximateTrimming(boolean approximateTrimming) {
        this.approximateTrimming = approximateTrimming;
    }

    public String getBodyField() {
        return bodyField;
    }

    public void setBodyField(String bodyField) {
        this.bodyField = bodyField;
    }
}
