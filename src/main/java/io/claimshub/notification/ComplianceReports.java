package io.claimshub.notification;

import io.claimshub.analytics.AnalyticsKeys;
import io.claimshub.analytics.ProcessingTimes;
import io.claimshub.analytics.TimingKind;
import io.claimshub.event.StoredEvent;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.RedisTemplates;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Builds the daily compliance report from what the hub already keeps: the claims decided that UTC day are the
 * members of the analytics' processing-time set of the day ({@code analytics:processing_times:<date>}, one member per
 * claim approved or rejected), their events come from the event store and the sends from the send ledger.
 */
public final class ComplianceReports {

    private final StringRedisTemplate redis;
    private final AnalyticsKeys analyticsKeys;
    private final ClaimEventStore store;
    private final SendLedger ledger;
    private final Supplier<NotificationRules> rules;

    public ComplianceReports(RedisConnectionFactory connectionFactory, AnalyticsKeys analyticsKeys,
                             ClaimEventStore store, SendLedger ledger, Supplier<NotificationRules> rules) {
        this.redis = RedisTemplates.strings(connectionFactory);
        this.analyticsKeys = analyticsKeys;
        this.store = store;
        this.ledger = ledger;
        this.rules = rules;
    }

    /** The day's rows, by claim id then in the order of the rules file's {@code compliance} section. */
    public List<ComplianceReport.Row> rows(LocalDate day) {
        Set<String> members = redis.opsForZSet().range(analyticsKeys.times(TimingKind.DECISION, day), 0, -1);
        Set<String> claimIds = new TreeSet<>();
        if (members != null) {
            members.forEach(member -> claimIds.add(ProcessingTimes.timed(member, 0).claimId()));
        }
        List<NotificationRules.Expectation> expectations = rules.get().compliance();
        List<ComplianceReport.Row> rows = new ArrayList<>();
        for (String claimId : claimIds) {
            List<ComplianceReport.Event> events = new ArrayList<>();
            for (StoredEvent stored : store.history(claimId)) {
                events.add(new ComplianceReport.Event(stored.event().eventId().toString(), stored.event().eventType(),
                        stored.event().timestamp()));
            }
            rows.addAll(ComplianceReport.rows(claimId, events, ledger.entries(claimId), expectations));
        }
        return rows;
    }

    public String csv(LocalDate day) {
        return ComplianceReport.csv(rows(day));
    }
}
