package io.claimshub.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fields a copy on the replay stream carries besides the original entry's own: the one group it is for, and
 * where the original came from. The replay route hands the original, under its own stream and entry id, to that
 * group's steps only.
 */
public final class ReplayFields {

    /** The group the copy is for; no other group sees it. */
    public static final String GROUP = "replay.group";
    /** The stream the original entry was read from (the event log). */
    public static final String STREAM = "replay.stream";
    /** The original entry's id in that stream. */
    public static final String ENTRY_ID = "replay.entryId";
    /** How many times the entry has been replayed, this time included. */
    public static final String COUNT = "replay.count";
    /** What was replayed: {@code dead-letter <id>}, {@code log} or {@code archive}. */
    public static final String SOURCE = "replay.source";

    static final String PREFIX = "replay.";

    private ReplayFields() {
    }

    /** An entry of the replay stream taken apart: the target group, the original's stream and id, its own fields. */
    public record Replayed(String group, String stream, String entryId, int count, Map<String, String> original) {
    }

    /** The copy of {@code original} for {@code group}: the replay fields first, then the original's, in order. */
    public static Map<String, String> copy(Map<String, String> original, String group, String stream, String entryId,
                                           int count, String source) {
        Map<String, String> copy = new LinkedHashMap<>();
        copy.put(GROUP, group);
        copy.put(STREAM, stream);
        copy.put(ENTRY_ID, entryId);
        copy.put(COUNT, Integer.toString(count));
        copy.put(SOURCE, source);
        original.forEach((name, value) -> {
            if (name.startsWith(PREFIX)) {
                throw new IllegalArgumentException("the entry has a field named " + name + ", which replays use");
            }
            copy.put(name, value);
        });
        return copy;
    }

    /** The copy taken apart; empty when {@code fields} carry no target group (not a copy made by {@link #copy}). */
    public static Optional<Replayed> read(Map<String, String> fields) {
        String group = fields.get(GROUP);
        if (group == null) {
            return Optional.empty();
        }
        Map<String, String> original = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (!name.startsWith(PREFIX)) {
                original.put(name, value);
            }
        });
        return Optional.of(new Replayed(group, fields.getOrDefault(STREAM, ""), fields.getOrDefault(ENTRY_ID, ""),
                count(fields.get(COUNT)), original));
    }

    private static int count(String text) {
        try {
            return text == null ? 0 : Math.max(0, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
