package io.claimshub.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.analytics.AnalyticsReader;
import io.claimshub.analytics.AnalyticsRebuild;
import io.claimshub.analytics.Counters;
import io.claimshub.analytics.Leaderboards;
import io.claimshub.analytics.ProcessingTimes;
import io.claimshub.analytics.TimingKind;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * The analytics part of the REST API (docs/analytics.md), free of HTTP plumbing: daily and hourly counters,
 * processing-time statistics and leaderboards, all by UTC day (leaderboards also by month).
 */
public final class AnalyticsApi {

    static final Set<String> BOARDS = Set.of("adjusters-decided", "adjusters-decision-time", "adjusters-sla-breaches",
            "regions-paid", "types-paid");
    private static final Set<String> DIMENSIONS = Set.of("type", "region", "adjuster");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final AnalyticsReader reader;
    private final AnalyticsRebuild rebuild;
    private final int minDecisions;
    private final Clock clock;

    public AnalyticsApi(AnalyticsReader reader, AnalyticsRebuild rebuild, int minDecisions, Clock clock) {
        this.reader = reader;
        this.rebuild = rebuild;
        this.minDecisions = minDecisions;
        this.clock = clock;
    }

    /**
     * {@code POST /api/analytics/rebuild}: starts recomputing every record from the log into a new generation (or
     * resumes one under way); {@code 202} with the generation.
     */
    public ApiResponse startRebuild() {
        long generation = rebuild.start();
        return ApiResponse.json(202, EventJson.mapper().createObjectNode().put("state", "running")
                .put("generation", generation));
    }

    /** {@code GET /api/analytics/rebuild}: this instance's running or last rebuild. */
    public ApiResponse rebuildStatus() {
        ObjectNode body = EventJson.mapper().createObjectNode();
        Future<AnalyticsRebuild.Result> current = rebuild.current();
        if (current == null) {
            body.put("state", "none");
        } else if (!current.isDone()) {
            body.put("state", "running");
        } else {
            try {
                AnalyticsRebuild.Result result = current.get();
                body.put("state", "done").put("generation", result.generation()).put("entries", result.entries())
                        .put("tookMillis", result.took().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                body.put("state", "failed");
            } catch (ExecutionException e) {
                body.put("state", "failed").put("error", String.valueOf(e.getCause().getMessage()));
            }
        }
        return ApiResponse.json(200, body);
    }

    /** {@code GET /api/analytics/daily/{date}}: the day's counters and the approval rate. */
    public ApiResponse daily(String date) {
        LocalDate day = day(date);
        if (day == null) {
            return bad("date", date, "is not a date (YYYY-MM-DD)");
        }
        ObjectNode body = EventJson.mapper().createObjectNode().put("date", day.toString());
        Map<String, Long> counters = reader.daily(day);
        counters(body.putObject("counters"), counters);
        long approved = counters.getOrDefault(Counters.APPROVED, 0L);
        long decided = approved + counters.getOrDefault(Counters.REJECTED, 0L);
        if (decided > 0) {
            body.put("approvalRate", Math.round(approved * 10_000.0 / decided) / 10_000.0);
        } else {
            body.putNull("approvalRate");
        }
        return ApiResponse.json(200, body);
    }

    /** {@code GET /api/analytics/hourly/{date}}: the counters of each of the day's 24 hours. */
    public ApiResponse hourly(String date) {
        LocalDate day = day(date);
        if (day == null) {
            return bad("date", date, "is not a date (YYYY-MM-DD)");
        }
        ObjectNode body = EventJson.mapper().createObjectNode().put("date", day.toString());
        ArrayNode hours = body.putArray("hours");
        List<Map<String, Long>> counters = reader.hourly(day);
        for (int hour = 0; hour < counters.size(); hour++) {
            ObjectNode entry = hours.addObject().put("hour", String.format("%02d", hour));
            counters(entry.putObject("counters"), counters.get(hour));
        }
        return ApiResponse.json(200, body);
    }

    /**
     * {@code GET /api/analytics/processing-times/{date}?by=type|region|adjuster}: for each of the three times
     * (decision, assignment, payment), the statistics of the claims timed that day, overall and per group.
     */
    public ApiResponse processingTimes(String date, String by) {
        LocalDate day = day(date);
        if (day == null) {
            return bad("date", date, "is not a date (YYYY-MM-DD)");
        }
        if (by != null && !DIMENSIONS.contains(by)) {
            return bad("by", by, "is not one of type, region, adjuster");
        }
        ObjectNode body = EventJson.mapper().createObjectNode().put("date", day.toString());
        if (by != null) {
            body.put("by", by);
        }
        for (TimingKind kind : TimingKind.values()) {
            List<ProcessingTimes.Timed> timed = reader.times(kind, day);
            ObjectNode entry = body.putObject(kind.name().toLowerCase(java.util.Locale.ROOT));
            stats(entry, ProcessingTimes.stats(timed.stream().mapToDouble(ProcessingTimes.Timed::seconds).toArray()));
            if (by != null) {
                ObjectNode groups = entry.putObject("groups");
                ProcessingTimes.statsBy(timed, t -> t.by(by)).forEach((group, stats) -> stats(groups.putObject(group), stats));
            }
        }
        return ApiResponse.json(200, body);
    }

    /** {@code GET /api/analytics/leaderboards/{board}?period=day|month&date=&limit=&currency=}. */
    public ApiResponse leaderboard(String board, String period, String date, String limit, String currency) {
        if (!BOARDS.contains(board)) {
            return bad("board", board, "is not one of " + String.join(", ", new java.util.TreeSet<>(BOARDS)));
        }
        boolean monthly;
        if (period == null || "day".equals(period)) {
            monthly = false;
        } else if ("month".equals(period)) {
            monthly = true;
        } else {
            return bad("period", period, "is not day or month");
        }
        LocalDate day = date == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : day(date);
        if (day == null && monthly && date != null && MONTH.matcher(date).matches()) {
            try {
                day = YearMonth.parse(date).atDay(1);
            } catch (DateTimeParseException e) {
                day = null;
            }
        }
        if (day == null) {
            return bad("date", date, monthly ? "is not a month (YYYY-MM) or date" : "is not a date (YYYY-MM-DD)");
        }
        Integer n = OperationsApi.limit(limit);
        if (n == null) {
            return bad("limit", limit, "is not a whole number from 1 to " + OperationsApi.MAX_LIMIT);
        }
        boolean paid = board.endsWith("-paid");
        if (paid && (currency == null || !CURRENCY.matcher(currency).matches())) {
            return bad("currency", currency, "is required for " + board + ": an ISO 4217 code such as EUR");
        }
        List<Leaderboards.Ranked> ranked = switch (board) {
            case "adjusters-decided" -> Leaderboards.rank(reader.board(Leaderboards.ADJUSTERS_DECIDED, day, monthly), true, n);
            case "adjusters-sla-breaches" -> Leaderboards.rank(reader.board(Leaderboards.ADJUSTERS_SLA_BREACHES, day,
                    monthly), true, n);
            case "adjusters-decision-time" -> Leaderboards.byMeanDecisionTime(
                    reader.board(Leaderboards.ADJUSTERS_DECIDED, day, monthly),
                    reader.board(Leaderboards.ADJUSTERS_DECISION_MILLIS, day, monthly), minDecisions, n);
            case "regions-paid" -> Leaderboards.rank(reader.board(Leaderboards.regionsPaid(currency), day, monthly), true, n);
            default -> Leaderboards.rank(reader.board(Leaderboards.typesPaid(currency), day, monthly), true, n);
        };
        ObjectNode body = EventJson.mapper().createObjectNode().put("board", board)
                .put("period", monthly ? "month" : "day")
                .put("date", monthly ? YearMonth.from(day).toString() : day.toString());
        if (paid) {
            body.put("currency", currency);
        }
        ArrayNode entries = body.putArray("entries");
        for (Leaderboards.Ranked r : ranked) {
            ObjectNode entry = entries.addObject().put("rank", r.rank()).put("member", r.member());
            if (board.equals("adjusters-decision-time")) {
                entry.put("meanSeconds", r.score());
            } else if (paid) {
                entry.put("amountMinor", (long) r.score());
            } else {
                entry.put("count", (long) r.score());
            }
        }
        return ApiResponse.json(200, body);
    }

    private static void counters(ObjectNode target, Map<String, Long> counters) {
        counters.forEach(target::put);
    }

    private static void stats(ObjectNode target, ProcessingTimes.Stats stats) {
        target.put("count", stats.count()).put("meanSeconds", stats.mean()).put("p50Seconds", stats.p50())
                .put("p90Seconds", stats.p90()).put("p99Seconds", stats.p99()).put("maxSeconds", stats.max());
    }

    /** The date as a UTC day, or null when it is not one (YYYY-MM-DD). */
    static LocalDate day(String date) {
        if (date == null || !DATE.matcher(date).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A 400 naming the parameter and showing (the start of) its value. */
    static ApiResponse bad(String parameter, String value, String why) {
        String shown = value == null ? "(missing)" : "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
        return Problems.invalid(new FieldError(parameter, shown + " " + why));
    }
}
