package io.claimshub.sla;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.ClaimSlaBreached;
import io.claimshub.event.EventEnvelope;
import io.claimshub.store.AppendResult;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ProcessingKeys;
import io.claimshub.store.RedisScripts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.claimshub.store.RedisTemplates;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Raises {@code claim.sla.breached} for assigned claims past their deadline, exactly once per deadline with any
 * number of hub instances: due entries of {@code sla:deadlines} are leased atomically (one instance each), the breach
 * is appended at the version it was decided on with an event id derived from the claim and the deadline, and only
 * then is the entry removed. A crash between append and removal leaves the lease to expire; the retry finds the
 * breach recorded (or gets a duplicate) and only removes the entry.
 */
public final class SlaScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(SlaScheduler.class);
    private static final RedisScript<List<String>> LEASE = RedisScripts.list("redis/lease-due-deadlines.lua");
    private static final RedisScript<Long> RELEASE = RedisScripts.number("redis/release-deadline.lua");
    private static final int BATCH = 100;
    private static final int CONFLICT_ATTEMPTS = 5;

    private final ClaimEventStore store;
    private final ClaimLifecycle lifecycle = new ClaimLifecycle();
    private final SlaBreaches breaches;
    private final ProcessingKeys keys;
    private final StringRedisTemplate redis;
    private final Duration lease;
    private final Clock clock;

    /** @param lease how long a due deadline is held by the instance checking it */
    public SlaScheduler(ClaimEventStore store, SlaBreaches breaches, RedisConnectionFactory connectionFactory,
                        ProcessingKeys keys, Duration lease, Clock clock) {
        this.store = store;
        this.breaches = breaches;
        this.keys = keys;
        this.lease = lease;
        this.clock = clock;
        this.redis = RedisTemplates.strings(connectionFactory);
    }

    /**
     * The SLA timer's step: checks every due deadline, a batch at a time.
     *
     * @return the breaches this call appended
     */
    public int checkDue() {
        int raised = 0;
        while (true) {
            Instant now = clock.instant();
            long leaseEnd = now.plus(lease).toEpochMilli();
            List<String> due = redis.execute(LEASE, List.of(keys.slaDeadlines()),
                    Long.toString(now.toEpochMilli()), Long.toString(leaseEnd), Integer.toString(BATCH));
            for (int i = 0; i + 1 < due.size(); i += 2) {
                if (breach(due.get(i), now, leaseEnd)) {
                    raised++;
                }
            }
            if (due.size() / 2 < BATCH) {
                return raised;
            }
        }
    }

    private boolean breach(String claimId, Instant now, long leaseEnd) {
        for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
            Optional<ClaimState> read = store.replay(claimId);
            if (read.isEmpty() || read.get().status() != ClaimStatus.ASSIGNED || read.get().slaBreachedAt() != null
                    || read.get().slaDeadline() == null) {
                release(claimId, leaseEnd, null);
                return false;
            }
            ClaimState state = read.get();
            if (state.slaDeadline().isAfter(now)) {
                // reassigned with a later deadline: that deadline is the one to watch
                release(claimId, leaseEnd, state.slaDeadline());
                return false;
            }
            ClaimSlaBreached data = new ClaimSlaBreached(state.assigneeId(), state.slaDeadline(), now);
            EventEnvelope event = EventEnvelope.of(claimId, now, data);
            event = new EventEnvelope(breachEventId(claimId, state.slaDeadline()), event.eventType(), claimId, now,
                    event.data(), event.version(), "system:sla");
            // the claim's snapshot is written with the breach, as every writer does
            AppendResult result = store.append(event, state.version(),
                    lifecycle.apply(state, event, state.version() + 1));
            if (result instanceof AppendResult.VersionConflict) {
                continue;
            }
            release(claimId, leaseEnd, null);
            if (result instanceof AppendResult.Appended) {
                breaches.record(claimId, data);
                LOG.warn("Claim {} breached its SLA: adjuster {} had until {}", claimId, state.assigneeId(),
                        state.slaDeadline());
                return true;
            }
            return false;
        }
        // the lease runs out and the claim is checked again then
        LOG.warn("Claim {} kept changing while its SLA breach was being recorded; it is checked again after the lease",
                claimId);
        return false;
    }

    private void release(String claimId, long leaseEnd, Instant restoreDeadline) {
        redis.execute(RELEASE, List.of(keys.slaDeadlines()), claimId, Long.toString(leaseEnd),
                restoreDeadline == null ? "" : Long.toString(restoreDeadline.toEpochMilli()));
    }

    /** One id per claim and deadline: recording the same breach again is a duplicate, never a second breach. */
    public static UUID breachEventId(String claimId, Instant deadline) {
        return UUID.nameUUIDFromBytes(("claim.sla.breached " + claimId + " " + deadline.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8));
    }
}
