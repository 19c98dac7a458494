package io.claimshub.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The changes one claim's events make to the analytics records, collected in order, and the metrics they emit. */
public final class AnalyticsDeltas {

    private final List<AnalyticsChange> changes = new ArrayList<>();
    private final List<ClaimMetric> metrics = new ArrayList<>();
    // the records of the last hour counted into: an event's counters share them
    private long countedHour = Long.MIN_VALUE;
    private AnalyticsKey daily;
    private AnalyticsKey hourly;

    /** Adds {@code amount} to a counter field of the daily and the hourly record of {@code at}'s UTC day and hour. */
    void count(Instant at, String field, long amount) {
        long hour = Math.floorDiv(at.getEpochSecond(), 3_600L);
        if (hour != countedHour) {
            LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(hour, 24L));
            daily = AnalyticsKey.daily(day);
            hourly = AnalyticsKey.hourly(day, (int) Math.floorMod(hour, 24L));
            countedHour = hour;
        }
        String text = Long.toString(amount);
        changes.add(new AnalyticsChange(AnalyticsChange.Op.INCREMENT, daily, field, text));
        changes.add(new AnalyticsChange(AnalyticsChange.Op.INCREMENT, hourly, field, text));
    }

    void timing(TimingKind kind, Instant endedAt, String member, long millis) {
        LocalDate day = endedAt.atZone(ZoneOffset.UTC).toLocalDate();
        changes.add(new AnalyticsChange(AnalyticsChange.Op.SCORE, AnalyticsKey.times(kind, day), member,
                ProcessingTimes.seconds(millis)));
    }

    /** Adds to a member's score on the leaderboard's day and month sets. */
    void board(String board, Instant at, String member, long amount) {
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        for (boolean monthly : new boolean[] {false, true}) {
            changes.add(new AnalyticsChange(AnalyticsChange.Op.ADD_TO_SCORE, AnalyticsKey.board(board, day, monthly),
                    member, Long.toString(amount)));
        }
    }

    void metric(ClaimMetric metric) {
        metrics.add(metric);
    }

    public List<AnalyticsChange> changes() {
        return changes;
    }

    public List<ClaimMetric> metrics() {
        return metrics;
    }
}
