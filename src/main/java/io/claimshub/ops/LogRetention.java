package io.claimshub.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.claimshub.store.RedisScripts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The scheduled trim of the log's streams, archive first: entries older than the stream's retention are trimmed only
 * once every group of the stream has acknowledged them (the oldest entry still pending or not yet delivered in any
 * group bounds the trim; a deleted group bounds nothing), and only after they are durably in the {@link LogArchive}.
 * One instance at a time trims a stream (a lease in Redis).
 */
public final class LogRetention {

    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
    private static final RedisScript<Long> TRIM = RedisScripts.number("redis/trim-acknowledged.lua");
    private static final int CHUNK = 10_000;
    private static final Duration LEASE = Duration.ofMinutes(30);

    /** A stream trimmed by this, and how long its entries are kept at least. */
    public record Policy(String stream, Duration retention) {
    }

    /**
     * What one run did to a stream: {@code bound} the id it trimmed below (none when nothing was old enough or
     * acknowledged), how many entries it archived and trimmed, and whether a group held the trim back.
     */
    public record Outcome(String stream, Optional<String> bound, long archived, long trimmed, boolean heldBack) {
    }

    private final StreamAdmin streams;
    private final LogArchive archive;
    private final List<Policy> policies;
    private final Clock clock;
    private final OpsAudit audit;

    public LogRetention(StreamAdmin streams, LogArchive archive, List<Policy> policies, Clock clock) {
        this.streams = streams;
        this.archive = archive;
        this.policies = List.copyOf(policies);
        this.clock = clock;
        this.audit = new OpsAudit(streams, clock);
    }

    public List<Policy> policies() {
        return policies;
    }

    /** Archives and trims every stream; a stream another instance is trimming is left to it. */
    public List<Outcome> run() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Policy policy : policies) {
            String lease = OpsKeys.trimLease(policy.stream());
            String token = UUID.randomUUID().toString();
            Boolean held = streams.template().opsForValue().setIfAbsent(lease, token, LEASE);
            if (!Boolean.TRUE.equals(held)) {
                continue;
            }
            try {
                Outcome outcome = trim(policy);
                outcomes.add(outcome);
                if (outcome.trimmed() > 0 || outcome.heldBack()) {
                    LOG.info("Retention of {}: archived {}, trimmed {} entries below {}{}", outcome.stream(),
                            outcome.archived(), outcome.trimmed(), outcome.bound().orElse("-"),
                            outcome.heldBack() ? "; a group has not acknowledged older entries yet" : "");
                }
            } finally {
                if (token.equals(streams.template().opsForValue().get(lease))) {
                    streams.template().delete(lease);
                }
            }
        }
        return outcomes;
    }

    /** What the archive step did: the bound it archived below (none: nothing to trim) and how many entries. */
    record Archived(Optional<String> bound, long count) {
    }

    /** Archives, then trims, one stream. */
    Outcome trim(Policy policy) {
        Archived archived = archiveBelowBound(policy);
        if (archived.bound().isEmpty()) {
            return new Outcome(policy.stream(), Optional.empty(), 0, 0, false);
        }
        return trimArchived(policy.stream(), archived.bound().get(), archived.count());
    }

    /**
     * The archive step alone: cleans what an interrupted write left, then archives every entry below the bound not
     * archived yet. Answers the bound, if anything is old enough and acknowledged.
     */
    Archived archiveBelowBound(Policy policy) {
        String stream = policy.stream();
        archive.recover(stream);
        long count = 0;
        Optional<String> bound = bound(policy);
        if (bound.isEmpty()) {
            return new Archived(bound, 0);
        }
        String cursor = archive.lastArchivedId(stream).map(id -> "(" + id).orElse("-");
        try (LogArchive.ArchiveWriter writer = archive.writer(stream)) {
            while (true) {
                List<StreamAdmin.Entry> chunk = streams.range(stream, cursor, "(" + bound.get(), CHUNK);
                for (StreamAdmin.Entry entry : chunk) {
                    writer.write(entry);
                }
                count += chunk.size();
                if (chunk.size() < CHUNK) {
                    break;
                }
                cursor = "(" + chunk.get(chunk.size() - 1).id();
            }
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("archiving " + stream + " failed; nothing was trimmed", e);
        }
        return new Archived(bound, count);
    }

    /** The trim step alone: trims below the bound if every group still agrees, nothing beyond what is archived. */
    Outcome trimArchived(String stream, String bound, long archived) {
        Optional<String> lastArchived = archive.lastArchivedId(stream);
        if (lastArchived.isEmpty()) {
            return new Outcome(stream, Optional.of(bound), archived, 0, false);
        }
        // never below what the archive holds: every entry trimmed is in a file the manifest lists
        String safe = StreamAdmin.compareIds(StreamAdmin.successor(lastArchived.get()), bound) < 0
                ? StreamAdmin.successor(lastArchived.get()) : bound;
        Long trimmed = streams.template().execute(TRIM, List.of(stream), safe);
        boolean heldBack = trimmed != null && trimmed < 0;
        long count = heldBack || trimmed == null ? 0 : trimmed;
        if (count > 0) {
            audit.record("hub", "stream.trim", stream, "retention", "below=" + safe + " trimmed=" + count
                    + " archive=" + archive.directory(stream));
        }
        return new Outcome(stream, Optional.of(safe), archived, count, heldBack);
    }

    /**
     * The lowest id any group still needs, or the retention's cut-off if lower: every entry below it is older than
     * the retention and acknowledged by every group. Empty when that leaves nothing to trim.
     */
    Optional<String> bound(Policy policy) {
        Optional<String> first = streams.ends(policy.stream()).first();
        if (first.isEmpty()) {
            return Optional.empty(); // no stream (yet): nothing to trim, and no groups to ask
        }
        String bound = Math.max(0, clock.millis() - policy.retention().toMillis()) + "-0";
        for (StreamAdmin.Group group : streams.groups(policy.stream())) {
            String needed = StreamAdmin.successor(group.lastDelivered());
            if (group.oldestPending().isPresent() && StreamAdmin.compareIds(group.oldestPending().get(), needed) < 0) {
                needed = group.oldestPending().get();
            }
            if (StreamAdmin.compareIds(needed, bound) < 0) {
                bound = needed;
            }
        }
        if (StreamAdmin.compareIds(first.get(), bound) >= 0) {
            return Optional.empty();
        }
        return Optional.of(bound);
    }
}
