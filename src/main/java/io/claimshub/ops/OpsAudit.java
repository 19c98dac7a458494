package io.claimshub.ops;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.claimshub.event.EventJson;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Records operator actions in the audit stream ({@link OpsKeys#AUDIT}): who, when, what, to what and why. The stream
 * is never trimmed by the hub.
 */
public final class OpsAudit {

    private final StringRedisTemplate redis;
    private final Clock clock;

    public OpsAudit(StringRedisTemplate redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Appends one entry; answers its id. */
    public String record(String who, String action, String target, String reason, Map<String, ?> details) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(OpsKeys.AUDIT_AT, clock.instant().toString());
        fields.put(OpsKeys.AUDIT_WHO, who);
        fields.put(OpsKeys.AUDIT_ACTION, action);
        fields.put(OpsKeys.AUDIT_TARGET, target);
        fields.put(OpsKeys.AUDIT_REASON, reason);
        fields.put(OpsKeys.AUDIT_DETAILS, EventJson.write(EventJson.mapper().valueToTree(details)));
        return redis.opsForStream().add(StreamRecords.string(fields).withStreamKey(OpsKeys.AUDIT)).getValue();
    }
}
