package io.claimshub.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.claimshub.store.RedisScripts;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Moves a consumer group's position (its last-delivered id) so that its next read starts at a chosen entry: back,
 * to have entries delivered again, or forward. Moving forward past entries the group has not been delivered would
 * skip them for good, so it is refused unless forced. Entries pending for the group stay pending either way and are
 * processed by its consumers as before. Every move is recorded in the operations audit stream.
 */
public final class GroupPositions {

    static final String ACTION = "group.position";
    private static final RedisScript<List<Object>> SET_POSITION = RedisScripts.replies("redis/set-group-position.lua");

    /** What a move did or would do. */
    public sealed interface Outcome {
    }

    /** No such stream or group. */
    public record NoSuchGroup(String stream, String group) implements Outcome {
    }

    /**
     * The move: from and to (last-delivered ids), how many entries the group gets again ({@code redelivered}) or
     * never gets ({@code skipped}), its pending entries (unchanged), and whether it was applied (not on a dry run,
     * not when refused).
     */
    public record Move(String stream, String group, String previousPosition, String position, long redelivered,
                       long skipped, long pending, boolean dryRun, boolean forced, boolean applied, String auditId)
            implements Outcome {

        public Map<String, Object> details() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("stream", stream);
            details.put("group", group);
            details.put("previousPosition", previousPosition);
            details.put("position", position);
            details.put("redelivered", redelivered);
            details.put("skipped", skipped);
            details.put("pending", pending);
            details.put("forced", forced);
            return details;
        }
    }

    /** Refused: the move would skip {@code skipped} entries the group has not been delivered yet. */
    public record Refused(Move wouldBe) implements Outcome {
    }

    private final StringRedisTemplate redis;
    private final StreamInspector inspector;
    private final OpsAudit audit;

    public GroupPositions(StringRedisTemplate redis, StreamInspector inspector, OpsAudit audit) {
        this.redis = redis;
        this.inspector = inspector;
        this.audit = audit;
    }

    /**
     * Moves {@code group} of {@code stream} so that its next read starts at the first entry at or after
     * {@code startId}.
     *
     * @param operator who asks (recorded); may be null for a dry run
     * @param reason   why (recorded); may be null for a dry run
     */
    public Outcome move(String stream, String group, String startId, boolean dryRun, boolean force, String operator,
                        String reason) {
        StreamStatus status = inspector.status(stream);
        StreamStatus.Group current = status.exists() ? status.group(group) : null;
        if (current == null) {
            return new NoSuchGroup(stream, group);
        }
        String position = StreamIds.before(startId);
        Move planned = plan(stream, current, position, dryRun, force, current.lastDeliveredId());
        if (planned.skipped() > 0 && !force) {
            return new Refused(planned);
        }
        if (dryRun) {
            return planned;
        }
        List<Object> answer = redis.execute(SET_POSITION, List.of(stream), group, position, force ? "1" : "0");
        long code = ((Number) answer.get(0)).longValue();
        if (code < 0) {
            return new NoSuchGroup(stream, group);
        }
        String previous = String.valueOf(answer.get(1));
        // the group's consumers may have read on since it was planned: the figures are those of the actual move
        Move move = previous.equals(current.lastDeliveredId()) ? planned
                : plan(stream, current, position, false, force, previous);
        if (code == 0) {
            return new Refused(move);
        }
        String auditId = audit.record(operator, ACTION, stream + "/" + group, reason, move.details());
        return new Move(stream, group, previous, position, move.redelivered(), move.skipped(), move.pending(), false,
                force, true, auditId);
    }

    private Move plan(String stream, StreamStatus.Group group, String position, boolean dryRun, boolean force,
                      String previous) {
        long redelivered = 0;
        long skipped = 0;
        int order = StreamIds.compare(position, previous);
        if (order < 0) {
            redelivered = inspector.count(stream, position, previous);
        } else if (order > 0) {
            skipped = inspector.count(stream, previous, position);
        }
        return new Move(stream, group.name(), previous, position, redelivered, skipped, group.pending(), dryRun, force,
                false, null);
    }
}
