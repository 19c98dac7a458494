package io.claimshub.component.redisstreams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoConsumer;

/**
 * Takes over the entries of dead consumers with XAUTOCLAIM and removes idle consumers from the group. Shared by the
 * threads of one route consumer: one of them scans at a time, a step at a time, and the cursor carries on from where
 * the previous step stopped (it stays put when a step fails).
 */
final class TakeoverScanner {

    private static final Logger LOG = LoggerFactory.getLogger(TakeoverScanner.class);

    private final RedisStreamsConfiguration configuration;
    private final Supplier<Set<String>> ownConsumerNames;
    private final String streamKey;
    private final String group;
    private final String errorsKey;
    private final AtomicBoolean scanning = new AtomicBoolean();
    private final AtomicLong nextScanAt = new AtomicLong();
    private volatile String cursor = "0-0";
    private volatile long nextIdleCheckAt;

    TakeoverScanner(RedisStreamsConfiguration configuration, Supplier<Set<String>> ownConsumerNames) {
        this.configuration = configuration;
        this.ownConsumerNames = ownConsumerNames;
        this.streamKey = configuration.getStreamKey();
        this.group = configuration.getGroup();
        this.errorsKey = RedisStreamsKeys.lastErrors(streamKey, group);
    }

    /** The first scan comes after an interval, or sooner if entries may go idle sooner. */
    void start(long now) {
        nextScanAt.set(now + Math.min(configuration.getClaimInterval(), configuration.getClaimMinIdle()));
        nextIdleCheckAt = now + configuration.getClaimInterval();
    }

    boolean due(long now) {
        return now >= nextScanAt.get();
    }

    /**
     * One scan step for {@code consumerName} if one is due and no other thread is scanning: the entries taken over
     * (with their delivery counts), or null when this thread does not scan.
     */
    List<StreamEntry> scan(StreamOperations redis, String consumerName, long now) {
        if (!due(now) || !scanning.compareAndSet(false, true)) {
            return null;
        }
        String next = cursor;
        try {
            removeIdleConsumers(redis, now);
            StreamOperations.AutoClaimed claimed = redis.autoClaim(streamKey, group, consumerName,
                    configuration.getClaimMinIdle(), cursor, configuration.getCount());
            next = claimed.nextCursor();
            if (claimed.unnamedDeletions()) {
                acknowledgeDeletedClaims(redis, consumerName, cursor, claimed);
            }
            if (!claimed.entries().isEmpty()) {
                LOG.info("Consumer {} took over {} pending entries of stream {} idle longer than {} ms", consumerName,
                        claimed.entries().size(), streamKey, configuration.getClaimMinIdle());
            }
            return redis.ownedWithDeliveryCounts(streamKey, group, consumerName, claimed.entries(), configuration.getCount());
        } finally {
            done(next, System.currentTimeMillis());
        }
    }

    private void done(String nextCursor, long now) {
        cursor = nextCursor;
        // a scan that has not wrapped round continues on the next loop; a finished one waits an interval
        nextScanAt.set("0-0".equals(nextCursor) ? now + configuration.getClaimInterval() : now);
        scanning.set(false);
    }

    /** Redis 6.2 answers nil without the id for a claimed entry that was trimmed: find such ids and acknowledge them. */
    private void acknowledgeDeletedClaims(StreamOperations redis, String consumerName, String from,
                                          StreamOperations.AutoClaimed claimed) {
        String end = "0-0".equals(claimed.nextCursor()) ? "+" : "(" + claimed.nextCursor();
        Set<String> named = new HashSet<>();
        claimed.entries().forEach(e -> named.add(e.id()));
        List<String> gone = new ArrayList<>();
        for (String id : redis.deliveryCounts(streamKey, group, consumerName, from, end, configuration.getCount() * 2).keySet()) {
            if (!named.contains(id) && !redis.exists(streamKey, id)) {
                gone.add(id);
            }
        }
        redis.ack(streamKey, group, gone);
        redis.clearErrors(errorsKey, gone);
    }

    private void removeIdleConsumers(StreamOperations redis, long now) {
        if (configuration.getIdleConsumerTimeout() <= 0 || now < nextIdleCheckAt) {
            return;
        }
        nextIdleCheckAt = now + configuration.getClaimInterval();
        Set<String> own = ownConsumerNames.get();
        for (XInfoConsumer info : redis.consumers(streamKey, group)) {
            if (!own.contains(info.consumerName()) && info.pendingCount() == 0
                    && info.idleTimeMs() > configuration.getIdleConsumerTimeout()
                    && redis.deleteConsumerIfIdle(streamKey, group, info.consumerName())) {
                LOG.info("Removed idle consumer {} (idle {} ms, nothing pending) from group {} on {}", info.consumerName(),
                        info.idleTimeMs(), group, streamKey);
            }
        }
    }
}
