package io.claimshub.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.claimshub.component.redisstreams.DeadLetterFields;
import io.claimshub.component.redisstreams.RedisStreamsConstants;
import io.claimshub.event.InvalidEventException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an event the route's error handler gave up on into a dead-letter entry: the original fields plus where it
 * came from and why it failed (the same layout as the consumer's own poison-entry dead letters).
 */
public final class DeadLetterDescription implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDescription.class);

    static final String REASON_REDELIVERIES_EXHAUSTED = "redeliveries-exhausted";
    /** Not a valid claim event (or not the one in its claim's stream): dead-lettered on its first delivery. */
    static final String REASON_INVALID_EVENT = "invalid-event";

    private final int maxEntryBytes;
    private final String replayStream;

    /** Keeps up to the component's default cap of the original entry. */
    public DeadLetterDescription() {
        this(DeadLetterFields.DEFAULT_MAX_ENTRY_BYTES);
    }

    public DeadLetterDescription(int maxEntryBytes) {
        this(maxEntryBytes, null);
    }

    /**
     * @param replayStream the stream of replayed copies ({@link OpsKeys#replays}): an entry from it is described as
     *                     the original it is a copy of, with the replay count
     */
    public DeadLetterDescription(int maxEntryBytes, String replayStream) {
        this.maxEntryBytes = maxEntryBytes;
        this.replayStream = replayStream;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = isInvalidEvent(error) ? REASON_INVALID_EVENT : REASON_REDELIVERIES_EXHAUSTED;
        String stream = message.getHeader(RedisStreamsConstants.STREAM_KEY, "", String.class);
        String group = message.getHeader(RedisStreamsConstants.GROUP, "", String.class);
        String entryId = message.getHeader(RedisStreamsConstants.ENTRY_ID, "", String.class);
        Map<String, String> original = new LinkedHashMap<>();
        Object body = message.getBody();
        if (body instanceof Map<?, ?> entry) {
            for (Map.Entry<?, ?> field : entry.entrySet()) {
                original.put(String.valueOf(field.getKey()), String.valueOf(field.getValue()));
            }
        } else if (body != null) {
            original.put("body", message.getBody(String.class));
        }
        int replays = exchange.getProperty(ReplayedEntries.REPLAY_COUNT, 0, Integer.class);
        // the message the error handler keeps is the one read: for a replayed entry, the copy (described as its original)
        Optional<ReplayFields.Replayed> replayed = stream.equals(replayStream) ? ReplayFields.read(original) : Optional.empty();
        if (replayed.isPresent()) {
            stream = replayed.get().stream();
            group = replayed.get().group();
            entryId = replayed.get().entryId();
            replays = replayed.get().count();
            original = new LinkedHashMap<>(replayed.get().original());
        }
        Map<String, String> fields = DeadLetterFields.describing(stream, group,
                message.getHeader(RedisStreamsConstants.CONSUMER_NAME, "", String.class), entryId,
                message.getHeader(RedisStreamsConstants.DELIVERY_COUNT, 0L, Long.class),
                reason, error == null ? "" : DeadLetterFields.error(error));
        if (replays > 0) {
            fields.put(DeadLetterFields.REPLAYS, Integer.toString(replays));
        }
        fields.putAll(DeadLetterFields.capped(original, maxEntryBytes));
        message.setBody(fields);
        // the error's text may quote the event's data: it stays in the dead-letter entry, out of the log
        LOG.warn("Entry {} of {} dead-lettered by group {}: {} ({})", fields.get(DeadLetterFields.ENTRY_ID),
                fields.get(DeadLetterFields.SOURCE_STREAM), fields.get(DeadLetterFields.GROUP), reason,
                error == null ? "no error" : error.getClass().getSimpleName());
    }

    private static boolean isInvalidEvent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidEventException) {
                return true;
            }
        }
        return false;
    }
}
