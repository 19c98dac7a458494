package io.claimshub.analytics;

import io.claimshub.component.redisstreams.RedisStreamsEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The analytics route's step: counts a batch of log entries; answers the entries to dead-letter, with the reason. */
public final class AnalyticsBatches {

    private final AnalyticsStore store;

    public AnalyticsBatches(AnalyticsStore store) {
        this.store = store;
    }

    public Map<String, String> count(List<RedisStreamsEntry> batch) {
        List<LogEntry> entries = new ArrayList<>(batch.size());
        for (RedisStreamsEntry entry : batch) {
            entries.add(new LogEntry(entry.id(), entry.fields()));
        }
        return store.count(entries);
    }
}
