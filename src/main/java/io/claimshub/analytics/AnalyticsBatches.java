package io.claimshub.analytics;

import io.claimshub.component.redisstreams.RedisStreamsEntry;
import io.claimshub.ops.ReplayedEntries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** The analytics route's step: counts a batch of log entries; answers the entries to dead-letter, with the reason. */
public final class AnalyticsBatches {

    private final AnalyticsStore store;

    public AnalyticsBatches(AnalyticsStore store) {
        this.store = store;
    }

    public Map<String, String> count(List<RedisStreamsEntry> batch, Exchange exchange) {
        // a replayed entry comes from a copy of its fields, not from the log itself
        boolean fromLog = exchange == null || exchange.getProperty(ReplayedEntries.REPLAY_COUNT) == null;
        List<LogEntry> entries = new ArrayList<>(batch.size());
        for (RedisStreamsEntry entry : batch) {
            entries.add(new LogEntry(entry.id(), entry.fields(), fromLog));
        }
        return store.count(entries);
    }
}
