package io.claimshub.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Which analytics record a change goes to, before it has a Redis key name ({@link AnalyticsKeys} gives it one):
 * the daily or hourly counters of a UTC day, a processing-time set of a day, or a leaderboard of a day or a month.
 */
public record AnalyticsKey(Kind kind, String name, LocalDate day, int hour, boolean monthly) {

    public enum Kind { DAILY, HOURLY, TIMES, BOARD }

    public static AnalyticsKey daily(LocalDate day) {
        return new AnalyticsKey(Kind.DAILY, "daily", day, 0, false);
    }

    public static AnalyticsKey hourly(LocalDate day, int hour) {
        return new AnalyticsKey(Kind.HOURLY, "hourly", day, hour, false);
    }

    public static AnalyticsKey times(TimingKind timing, LocalDate day) {
        return new AnalyticsKey(Kind.TIMES, timing.setName(), day, 0, false);
    }

    /** A leaderboard's set for the day, or (monthly) for the day's month; {@code day} is then its month's first. */
    public static AnalyticsKey board(String board, LocalDate day, boolean monthly) {
        return new AnalyticsKey(Kind.BOARD, board, monthly ? day.withDayOfMonth(1) : day, 0, monthly);
    }

    // written out: every change of every event is looked up by its key
    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + day.hashCode()) * 31 + hour) * 8 + kind.ordinal() * 2 + (monthly ? 1 : 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AnalyticsKey key && hour == key.hour && monthly == key.monthly && kind == key.kind
                && day.equals(key.day) && name.equals(key.name);
    }

    /** When the period this record counts ends; its retention runs from then. */
    public Instant periodEnd() {
        return switch (kind) {
            case HOURLY -> day.atStartOfDay().plusHours(hour + 1L).toInstant(ZoneOffset.UTC);
            case BOARD -> (monthly ? day.plusMonths(1) : day.plusDays(1)).atStartOfDay().toInstant(ZoneOffset.UTC);
            default -> day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        };
    }
}
