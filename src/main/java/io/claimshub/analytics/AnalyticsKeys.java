package io.claimshub.analytics;

import io.claimshub.event.ClaimIds;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * The one place the analytics' Redis key patterns are built. The records the API reads have the design's names
 * ({@code analytics:daily:2026-03-02}, {@code analytics:hourly:2026-03-02:09}, {@code analytics:processing_times:2026-03-02},
 * {@code analytics:leaderboard:adjusters_decided:2026-03}); a rebuild writes the same names under
 * {@code analytics:rebuild:} until it switches them in. A non-empty namespace ({@code hub.analytics.namespace})
 * prefixes every key, so two hubs (or tests) can share a Redis.
 */
public final class AnalyticsKeys {

    private final String root;

    public AnalyticsKeys(String namespace) {
        this.root = (namespace == null || namespace.isBlank() ? "" : namespace.trim() + ":") + "analytics:";
    }

    /** The name of a record in the generation the API reads ({@code live}) or in the one being rebuilt. */
    public String record(AnalyticsKey key, boolean live) {
        return (live ? root : rebuildPrefix()) + suffix(key);
    }

    /** A record's name without its prefix: what the generation's key set holds. */
    public static String suffix(AnalyticsKey key) {
        return switch (key.kind()) {
            case DAILY -> "daily:" + key.day();
            case HOURLY -> "hourly:" + key.day() + ":" + (key.hour() < 10 ? "0" : "") + key.hour();
            case TIMES -> key.name() + ":" + key.day();
            case BOARD -> "leaderboard:" + key.name() + ":" + (key.monthly() ? YearMonth.from(key.day()).toString()
                    : key.day().toString());
        };
    }

    public String daily(LocalDate day) {
        return record(AnalyticsKey.daily(day), true);
    }

    public String hourly(LocalDate day, int hour) {
        return record(AnalyticsKey.hourly(day, hour), true);
    }

    public String times(TimingKind kind, LocalDate day) {
        return record(AnalyticsKey.times(kind, day), true);
    }

    public String board(String board, LocalDate day, boolean monthly) {
        return record(AnalyticsKey.board(board, day, monthly), true);
    }

    /** {@code analytics:}: what the live records' names start with. */
    public String livePrefix() {
        return root;
    }

    /** {@code analytics:rebuild:}: what a rebuild's records' names start with until they are switched in. */
    public String rebuildPrefix() {
        return root + "rebuild:";
    }

    /**
     * {@code analytics:cursor:{CLM-...}}: hash, field {@code g<generation>} the claim's {@link ClaimCursor} in that
     * generation.
     */
    public String cursor(String claimId) {
        return root + "cursor:{" + ClaimIds.requireValid(claimId) + "}";
    }

    /** {@link #cursor}, of a claim id already checked valid. */
    String cursorOfValid(String claimId) {
        return root + "cursor:{" + claimId + "}";
    }

    /** The pattern of every cursor hash, for deleting an old generation's fields. */
    public String cursorPattern() {
        return root + "cursor:*";
    }

    public static String cursorField(long generation) {
        return "g" + generation;
    }

    /**
     * {@code analytics:applied}: the token the last apply of analytics changes wrote; a batch whose read found the token
     * still there when it applies knows no cursor moved in between.
     */
    public String applied() {
        return root + "applied";
    }

    /** {@code analytics:generation}: the number of the generation the API reads (0 when missing). */
    public String generation() {
        return root + "generation";
    }

    /** {@code analytics:rebuilding}: the number of the generation a rebuild is filling; missing when none. */
    public String rebuilding() {
        return root + "rebuilding";
    }

    /** {@code analytics:keys:g<n>}: set of the suffixes of every record a generation has written. */
    public String keySet(long generation) {
        return root + "keys:g" + generation;
    }
}
