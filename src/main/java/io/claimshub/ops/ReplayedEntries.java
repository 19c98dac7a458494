package io.claimshub.ops;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.claimshub.component.redisstreams.RedisStreamsConstants;
import io.claimshub.component.redisstreams.RedisStreamsEndpoint;
import io.claimshub.component.redisstreams.RedisStreamsEntry;
import io.claimshub.event.InvalidEventException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Route;

/**
 * The replay route's step before the target group's steps: the copy read from the replay stream becomes the original
 * entry again, under its own stream, entry id and group, so the group's steps handle it exactly as they handled
 * the original (and dead-letter it again, with the replay count, if it fails again).
 */
public final class ReplayedEntries implements Processor {

    /** Exchange property: how many times the entry being handed over has been replayed. */
    public static final String REPLAY_COUNT = "ClaimsHubReplayCount";

    /** What a group's name may be: its steps route is {@code direct:<group>}. */
    public static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, String> fields = stringFields(message.getBody());
        ReplayFields.Replayed replayed = ReplayFields.read(fields).orElseThrow(() -> new IllegalArgumentException(
                "entry " + message.getHeader(RedisStreamsConstants.ENTRY_ID) + " of the replay stream names no group"));
        if (!GROUP_NAME.matcher(replayed.group()).matches()) {
            throw new IllegalArgumentException("entry " + message.getHeader(RedisStreamsConstants.ENTRY_ID)
                    + " of the replay stream names no valid group");
        }
        message.setHeader(RedisStreamsConstants.STREAM_KEY, replayed.stream());
        message.setHeader(RedisStreamsConstants.ENTRY_ID, replayed.entryId());
        message.setHeader(RedisStreamsConstants.GROUP, replayed.group());
        exchange.setProperty(REPLAY_COUNT, replayed.count());
        if (takesBatches(exchange, replayed.group())) {
            // a group reading whole batches (batching=true) gets a batch of this one entry, as its steps expect
            message.setBody(List.of(new RedisStreamsEntry(replayed.entryId(), replayed.original(), 1)));
        } else {
            message.setBody(replayed.original());
        }
    }

    /**
     * After a batch-reading group's steps: the batch exchange properties they set for the replayed entry become a
     * failure of the replay route (so its dead-letter channel records it again, with the reason), as the group's own
     * consumer would have dead-lettered it or left it pending.
     */
    public static void failIfRefused(Exchange exchange) {
        Map<?, ?> deadLetters = exchange.getProperty(RedisStreamsConstants.BATCH_DEAD_LETTER, Map.class);
        if (deadLetters != null && !deadLetters.isEmpty()) {
            throw new InvalidEventException("entry", String.valueOf(deadLetters.values().iterator().next()));
        }
        Object retry = exchange.getProperty(RedisStreamsConstants.BATCH_RETRY);
        if (retry instanceof Map<?, ?> errors && !errors.isEmpty()) {
            throw new IllegalStateException(String.valueOf(errors.values().iterator().next()));
        }
        if (retry instanceof Collection<?> ids && !ids.isEmpty()) {
            throw new IllegalStateException("the group's steps left the replayed entry to be retried");
        }
    }

    private static boolean takesBatches(Exchange exchange, String group) {
        Route route = exchange.getContext().getRoute(group);
        return route != null && route.getEndpoint() instanceof RedisStreamsEndpoint endpoint
                && endpoint.getConfiguration().isBatching();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringFields(Object body) {
        if (body instanceof Map<?, ?> map) {
            return (Map<String, String>) map;
        }
        throw new IllegalArgumentException("a replay stream entry has fields, not a single value");
    }
}
