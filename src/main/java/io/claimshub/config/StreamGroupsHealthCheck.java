package io.claimshub.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.claimshub.ops.StreamIds;
import io.claimshub.ops.StreamMetrics;
import io.claimshub.ops.StreamStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The consumer groups against their thresholds: a group whose lag or oldest pending entry's age passes its limit is
 * named in the check's details and makes it {@code DEGRADED} (detail {@code status}, and the message). The hub keeps
 * serving, so the check stays UP and {@code /observe/health} does not turn the whole hub DOWN; Redis being away is
 * the Redis check's to report.
 */
public final class StreamGroupsHealthCheck extends AbstractHealthCheck {

    public static final String DEGRADED = "DEGRADED";
    public static final String OK = "OK";

    private final StreamMetrics metrics;
    private final long maxLag;
    private final Duration maxPendingAge;

    public StreamGroupsHealthCheck(StreamMetrics metrics, long maxLag, Duration maxPendingAge) {
        super("hub", "stream-groups");
        this.metrics = metrics;
        this.maxLag = maxLag;
        this.maxPendingAge = maxPendingAge;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        builder.detail("max.lag", maxLag);
        builder.detail("max.pending.age.seconds", maxPendingAge.toSeconds());
        StreamMetrics.Snapshot snapshot;
        try {
            snapshot = metrics.current();
        } catch (RuntimeException e) {
            builder.detail("status", "UNKNOWN");
            builder.message("stream figures unavailable: " + e.getMessage());
            return;
        }
        long now = snapshot.at().toEpochMilli();
        List<String> degraded = new ArrayList<>();
        for (StreamStatus stream : snapshot.streams()) {
            for (StreamStatus.Group group : stream.groups()) {
                String name = stream.stream() + "/" + group.name();
                long pendingAge = group.oldestPendingId().isEmpty() ? 0
                        : Math.max(0, now - StreamIds.millis(group.oldestPendingId())) / 1000;
                builder.detail(name + ".lag", group.lag());
                builder.detail(name + ".pending", group.pending());
                builder.detail(name + ".oldest.pending.age.seconds", pendingAge);
                List<String> why = new ArrayList<>();
                if (group.lag() > maxLag) {
                    why.add("lag " + group.lag() + " > " + maxLag);
                }
                if (pendingAge > maxPendingAge.toSeconds()) {
                    why.add("oldest pending entry " + pendingAge + " s old > " + maxPendingAge.toSeconds() + " s");
                }
                if (!why.isEmpty()) {
                    // the message names the group in words: the health endpoint escapes a '/' in it
                    degraded.add("group " + group.name() + " of " + stream.stream() + " (" + String.join(", ", why)
                            + ")");
                    builder.detail(name + ".status", DEGRADED);
                }
            }
        }
        builder.detail("status", degraded.isEmpty() ? OK : DEGRADED);
        if (!degraded.isEmpty()) {
            builder.detail("degraded", String.join("; ", degraded));
            builder.message("DEGRADED: " + String.join("; ", degraded));
        }
    }
}
