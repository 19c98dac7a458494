package io.claimshub.ops;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.claimshub.event.EventJson;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The operations audit stream ({@link OpsKeys#AUDIT}): one entry per operator action, with when, who (the
 * {@code X-Operator} header until the API authenticates), what, on which target, why, and details. Entries are
 * written with the action's own Redis step where it has one, so an action is never done without its record. The
 * stream is never trimmed by the hub.
 */
public final class OpsAudit {

    public static final String AT = OpsKeys.AUDIT_AT;
    public static final String WHO = OpsKeys.AUDIT_WHO;
    public static final String ACTION = OpsKeys.AUDIT_ACTION;
    public static final String TARGET = OpsKeys.AUDIT_TARGET;
    public static final String REASON = OpsKeys.AUDIT_REASON;
    public static final String DETAILS = OpsKeys.AUDIT_DETAILS;

    private final StringRedisTemplate redis;
    private final Clock clock;

    public OpsAudit(StringRedisTemplate redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    public OpsAudit(StreamAdmin streams, Clock clock) {
        this(streams.template(), clock);
    }

    /** The values of an audit entry, in the order at, who, action, target, reason, details. */
    List<String> fields(String who, String action, String target, String reason, String details) {
        List<String> values = new ArrayList<>(6);
        values.add(clock.instant().toString());
        values.add(who);
        values.add(action);
        values.add(target);
        values.add(reason == null ? "" : reason);
        values.add(details);
        return values;
    }

    /** Records an action that has no Redis step of its own to carry its record (a trim, an archive replay). */
    public String record(String who, String action, String target, String reason, String details) {
        List<String> values = fields(who, action, target, reason, details);
        return redis.opsForStream().add(OpsKeys.AUDIT, Map.of(AT, values.get(0), WHO, values.get(1),
                ACTION, values.get(2), TARGET, values.get(3), REASON, values.get(4), DETAILS, values.get(5))).getValue();
    }

    /** As {@link #record(String, String, String, String, String)}, the details written as JSON. */
    public String record(String who, String action, String target, String reason, Map<String, ?> details) {
        return record(who, action, target, reason, EventJson.write(EventJson.mapper().valueToTree(details)));
    }
}
