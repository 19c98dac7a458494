package io.claimshub.ops;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.core.RedisCallback;

/**
 * Re-reads a range of the event log into one named group, from the archive (entries already trimmed) and from Redis
 * (the rest): each entry goes to the replay stream as a copy for that group only, so a new group's logic can be tried
 * against history, or a group's read model rebuilt, without touching the other groups.
 */
public final class LogReplay {

    private static final int BATCH = 500;

    /** How many entries were queued for the group, from the archive and from Redis. */
    public record Queued(long fromArchive, long fromLog) {
    }

    private final StreamAdmin streams;
    private final LogArchive archive;
    private final String log;
    private final String replayStream;
    private final OpsAudit audit;

    public LogReplay(StreamAdmin streams, LogArchive archive, String log, Clock clock) {
        this.streams = streams;
        this.archive = archive;
        this.log = log;
        this.replayStream = OpsKeys.replays(log);
        this.audit = new OpsAudit(streams, clock);
    }

    /** Queues the log's entries with ids from {@code fromId} to {@code toId} (both inclusive) for {@code group}. */
    public Queued replay(String group, String fromId, String toId, String who, String reason) {
        List<List<String>> batch = new ArrayList<>(BATCH);
        long fromArchive = 0;
        String last = null;
        for (LogArchive.Range range : archive.ranges(log)) {
            if (StreamAdmin.compareIds(range.lastId(), fromId) < 0 || StreamAdmin.compareIds(range.firstId(), toId) > 0) {
                continue;
            }
            List<StreamAdmin.Entry> entries = new ArrayList<>();
            archive.read(log, range, entries::add);
            for (StreamAdmin.Entry entry : entries) {
                if (StreamAdmin.compareIds(entry.id(), fromId) >= 0 && StreamAdmin.compareIds(entry.id(), toId) <= 0) {
                    queue(batch, group, entry, "archive");
                    fromArchive++;
                    last = entry.id();
                }
            }
        }
        // what is still in Redis, after anything the archive had (a crash may leave an entry in both)
        String cursor = last == null ? fromId : "(" + last;
        long fromLog = 0;
        while (true) {
            List<StreamAdmin.Entry> chunk = streams.range(log, cursor, toId, BATCH);
            for (StreamAdmin.Entry entry : chunk) {
                queue(batch, group, entry, "log");
                fromLog++;
            }
            if (chunk.size() < BATCH) {
                break;
            }
            cursor = "(" + chunk.get(chunk.size() - 1).id();
        }
        flush(batch);
        audit.record(who, "log.replay", "group " + group, reason, "stream=" + log + " from=" + fromId + " to=" + toId
                + " archived=" + fromArchive + " log=" + fromLog);
        return new Queued(fromArchive, fromLog);
    }

    private void queue(List<List<String>> batch, String group, StreamAdmin.Entry entry, String source) {
        List<String> fields = new ArrayList<>();
        ReplayFields.copy(entry.fields(), group, log, entry.id(), 1, source).forEach((name, value) -> {
            fields.add(name);
            fields.add(value);
        });
        batch.add(fields);
        if (batch.size() == BATCH) {
            flush(batch);
        }
    }

    private void flush(List<List<String>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        byte[] key = StreamAdmin.bytes(replayStream);
        streams.template().executePipelined((RedisCallback<Object>) connection -> {
            for (List<String> fields : batch) {
                byte[][] args = new byte[fields.size() + 2][];
                args[0] = key;
                args[1] = StreamAdmin.bytes("*");
                for (int i = 0; i < fields.size(); i++) {
                    args[i + 2] = StreamAdmin.bytes(fields.get(i));
                }
                connection.execute("XADD", args);
            }
            return null;
        });
        batch.clear();
    }
}
