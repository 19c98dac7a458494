package io.claimshub.ops;

import java.util.Map;
import java.util.regex.Pattern;

import io.claimshub.component.redisstreams.RedisStreamsConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

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
        message.setBody(replayed.original());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringFields(Object body) {
        if (body instanceof Map<?, ?> map) {
            return (Map<String, String>) map;
        }
        throw new IllegalArgumentException("a replay stream entry has fields, not a single value");
    }
}
