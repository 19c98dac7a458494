package io.claimshub.ops;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.claimshub.store.RedisScripts;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Reads and resolves the dead letters of the event log's groups: list a group's, show one, replay one to the group
 * that gave up on it (and to no other: the copy goes to the replay stream naming that group), or discard one. Each
 * replay and discard is atomic with its record in the operations audit stream ({@link OpsAudit}).
 */
public final class DeadLetters {

    /** How a replay or discard went. */
    public enum Status { DONE, NOT_FOUND, OTHER_GROUP, NOT_REPLAYABLE }

    /** The outcome; {@code replayEntryId} is the copy's id on the replay stream after a replay. */
    public record Resolution(Status status, String replayEntryId, String detail) {
    }

    /** One page of a group's dead letters, oldest first; {@code next} is the id to pass as {@code after}, if more. */
    public record Page(List<DeadLetter> deadLetters, Optional<String> next) {
    }

    private static final RedisScript<String> RESOLVE = RedisScripts.text("redis/resolve-dead-letter.lua");
    private static final int SCAN_CHUNK = 500;

    private final StreamAdmin streams;
    private final String deadLetterStream;
    private final String replayStream;
    private final OpsAudit audit;

    public DeadLetters(StreamAdmin streams, String log, Clock clock) {
        this.streams = streams;
        this.deadLetterStream = OpsKeys.deadLetters(log);
        this.replayStream = OpsKeys.replays(log);
        this.audit = new OpsAudit(streams, clock);
    }

    public String stream() {
        return deadLetterStream;
    }

    /** Up to {@code limit} of the group's dead letters after {@code afterOrNull} (exclusive), oldest first. */
    public Page list(String group, String afterOrNull, int limit) {
        List<DeadLetter> found = new ArrayList<>();
        String cursor = afterOrNull == null ? "-" : "(" + afterOrNull;
        while (found.size() < limit) {
            List<StreamAdmin.Entry> chunk = streams.range(deadLetterStream, cursor, "+", SCAN_CHUNK);
            for (StreamAdmin.Entry entry : chunk) {
                DeadLetter deadLetter = DeadLetter.of(entry, replayStream);
                if (deadLetter.group().equals(group)) {
                    found.add(deadLetter);
                    if (found.size() == limit) {
                        return new Page(found, Optional.of(deadLetter.id()));
                    }
                }
            }
            if (chunk.size() < SCAN_CHUNK) {
                return new Page(found, Optional.empty());
            }
            cursor = "(" + chunk.get(chunk.size() - 1).id();
        }
        return new Page(found, Optional.empty());
    }

    public Optional<DeadLetter> find(String id) {
        return streams.entry(deadLetterStream, id).map(entry -> DeadLetter.of(entry, replayStream));
    }

    /**
     * Sends the dead letter's entry back to the group that gave up on it, once: the dead letter is removed as the copy
     * is added to the replay stream. If the group fails on it again, a new dead letter records the new error and the
     * replay count. {@code expectedGroupOrNull}: refuse a dead letter of another group.
     */
    public Resolution replay(String id, String expectedGroupOrNull, String who, String reason) {
        Optional<DeadLetter> found = find(id);
        if (found.isEmpty()) {
            return new Resolution(Status.NOT_FOUND, null, "no dead letter " + id);
        }
        DeadLetter deadLetter = found.get();
        if (expectedGroupOrNull != null && !expectedGroupOrNull.equals(deadLetter.group())) {
            return new Resolution(Status.OTHER_GROUP, null, "dead letter " + id + " is group " + deadLetter.group() + "'s");
        }
        if (deadLetter.notReplayable().isPresent()) {
            return new Resolution(Status.NOT_REPLAYABLE, null, deadLetter.notReplayable().get());
        }
        List<String> args = new ArrayList<>(audit.fields(who, "dead-letter.replay", target(id), reason,
                "group=" + deadLetter.group() + " entry=" + deadLetter.stream() + "/" + deadLetter.entryId()));
        ReplayFields.copy(deadLetter.entry(), deadLetter.group(), deadLetter.stream(), deadLetter.entryId(),
                deadLetter.replays() + 1, "dead-letter " + id).forEach((name, value) -> {
                    args.add(name);
                    args.add(value);
                });
        return resolve(id, args);
    }

    /** Removes the dead letter for good, recording who did it and why. */
    public Resolution discard(String id, String who, String reason) {
        Optional<DeadLetter> found = find(id);
        if (found.isEmpty()) {
            return new Resolution(Status.NOT_FOUND, null, "no dead letter " + id);
        }
        DeadLetter deadLetter = found.get();
        return resolve(id, audit.fields(who, "dead-letter.discard", target(id), reason, "group=" + deadLetter.group()
                + " entry=" + deadLetter.stream() + "/" + deadLetter.entryId() + " reason=" + deadLetter.reason()));
    }

    private Resolution resolve(String id, List<String> auditAndCopy) {
        List<String> args = new ArrayList<>(auditAndCopy.size() + 1);
        args.add(id);
        args.addAll(auditAndCopy);
        String replayId = streams.template().execute(RESOLVE, List.of(deadLetterStream, OpsKeys.AUDIT, replayStream),
                args.toArray());
        if (replayId == null) {
            return new Resolution(Status.NOT_FOUND, null, "dead letter " + id + " was resolved meanwhile");
        }
        return new Resolution(Status.DONE, replayId.isEmpty() ? null : replayId, "");
    }

    private String target(String id) {
        return deadLetterStream + "/" + id;
    }
}
