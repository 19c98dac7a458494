package io.claimshub.ops;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.claimshub.store.ClaimKeys;
import io.claimshub.store.ClaimSnapshots;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

/**
 * The claims' read model checked against the system of record: a consistency report listing every snapshot that
 * differs from a replay of its claim's stream, and rebuilds of one or all snapshots from their streams.
 */
public final class SnapshotChecks {

    /** The field a report names for a claim whose stream cannot be replayed (its events edited or cut by hand). */
    public static final String UNREPLAYABLE = "stream";

    /** A snapshot that differs from its stream's replay, by field (a missing snapshot differs in every field). */
    public record Difference(String claimId, List<String> fields) {
    }

    /** How many claims were checked and which differ (at most {@code limit} of them listed, {@code differing} all). */
    public record Report(long checked, long differing, List<Difference> listed) {
    }

    private final StreamAdmin streams;
    private final ClaimSnapshots snapshots;
    private final OpsAudit audit;

    public SnapshotChecks(StreamAdmin streams, ClaimSnapshots snapshots, Clock clock) {
        this.streams = streams;
        this.snapshots = snapshots;
        this.audit = new OpsAudit(streams, clock);
    }

    public Report report(int limit) {
        List<Difference> listed = new ArrayList<>();
        long[] counts = new long[2];
        eachClaim(claimId -> {
            counts[0]++;
            List<String> fields;
            try {
                fields = snapshots.differences(claimId);
            } catch (RuntimeException unreadable) {
                // a stream that cannot be replayed (edited or cut by hand) is listed, not the end of the report
                fields = List.of(UNREPLAYABLE);
            }
            if (!fields.isEmpty()) {
                counts[1]++;
                if (listed.size() < limit) {
                    listed.add(new Difference(claimId, fields));
                }
            }
        });
        return new Report(counts[0], counts[1], listed);
    }

    /** Rebuilds one claim's snapshot; false when the claim has no events (or a newer snapshot was written meanwhile). */
    public boolean rebuild(String claimId, String who, String reason) {
        boolean written = snapshots.rebuild(claimId);
        audit.record(who, "snapshot.rebuild", "claim " + claimId, reason, "written=" + written);
        return written;
    }

    /** Rebuilds every claim's snapshot; answers how many claims were rebuilt. */
    public long rebuildAll(String who, String reason) {
        long[] rebuilt = new long[1];
        eachClaim(claimId -> {
            try {
                if (snapshots.rebuild(claimId)) {
                    rebuilt[0]++;
                }
            } catch (RuntimeException unreadable) {
                // left as it is, and listed by the report (UNREPLAYABLE); the other claims are rebuilt
            }
        });
        audit.record(who, "snapshot.rebuild", "all claims", reason, "written=" + rebuilt[0]);
        return rebuilt[0];
    }

    private void eachClaim(Consumer<String> action) {
        try (Cursor<String> keys = streams.template().scan(ScanOptions.scanOptions()
                .match(ClaimKeys.CLAIM_STREAM_SCAN_PATTERN).count(1000).build())) {
            while (keys.hasNext()) {
                String claimId = ClaimKeys.claimIdOfStream(keys.next());
                if (claimId != null) {
                    action.accept(claimId);
                }
            }
        }
    }
}
