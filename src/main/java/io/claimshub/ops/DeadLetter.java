package io.claimshub.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.claimshub.component.redisstreams.DeadLetterFields;

/**
 * A dead letter as operators see it: the group that gave up on the entry, the entry's stream and id, why, the last
 * error, how often it was delivered and replayed, and the original entry's fields. A dead letter the replay route's
 * own consumer wrote (a copy it could not hand over) is shown as the group's and entry's it was meant for.
 */
public record DeadLetter(String id, Instant deadLetteredAt, String group, String stream, String entryId,
                         String consumer, String reason, String error, long deliveryCount, int replays,
                         Optional<String> notReplayable, Map<String, String> entry) {

    static DeadLetter of(StreamAdmin.Entry stored, String replayStream) {
        Map<String, String> fields = stored.fields();
        Map<String, String> original = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (!field.getKey().startsWith(DeadLetterFields.PREFIX)) {
                original.put(field.getKey(), field.getValue());
            }
        }
        String group = fields.getOrDefault(DeadLetterFields.GROUP, "");
        String stream = fields.getOrDefault(DeadLetterFields.SOURCE_STREAM, "");
        String entryId = fields.getOrDefault(DeadLetterFields.ENTRY_ID, "");
        int replays = number(fields.get(DeadLetterFields.REPLAYS));
        if (stream.equals(replayStream)) {
            Optional<ReplayFields.Replayed> replayed = ReplayFields.read(original);
            if (replayed.isPresent()) {
                group = replayed.get().group();
                stream = replayed.get().stream();
                entryId = replayed.get().entryId();
                replays = replayed.get().count();
                original = replayed.get().original();
            }
        }
        return new DeadLetter(stored.id(), Instant.ofEpochMilli(StreamAdmin.millis(stored.id())), group, stream,
                entryId, fields.getOrDefault(DeadLetterFields.CONSUMER, ""),
                fields.getOrDefault(DeadLetterFields.REASON, ""), fields.getOrDefault(DeadLetterFields.ERROR, ""),
                number(fields.get(DeadLetterFields.DELIVERY_COUNT)), replays, whyNotReplayable(fields, original),
                original);
    }

    /** A copy of part of an entry would hand the group a different event: such a dead letter is only discarded. */
    private static Optional<String> whyNotReplayable(Map<String, String> fields, Map<String, String> original) {
        if (fields.containsKey(DeadLetterFields.TRUNCATED) || fields.containsKey(DeadLetterFields.OMITTED)) {
            return Optional.of("the dead letter keeps only part of the entry (" + DeadLetterFields.TRUNCATED + "/"
                    + DeadLetterFields.OMITTED + ")");
        }
        if (original.keySet().stream().anyMatch(name -> name.startsWith(ReplayFields.PREFIX))) {
            return Optional.of("the entry has fields named " + ReplayFields.PREFIX + "*, which replays use");
        }
        return Optional.empty();
    }

    private static int number(String text) {
        try {
            return text == null ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, Long.parseLong(text)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
