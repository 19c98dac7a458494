package io.claimshub.analytics;

import io.claimshub.event.ClaimApproved;
import io.claimshub.event.ClaimAssigned;
import io.claimshub.event.ClaimDocumentUploaded;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.ClaimInvestigated;
import io.claimshub.event.ClaimPaymentCompleted;
import io.claimshub.event.ClaimPaymentInitiated;
import io.claimshub.event.ClaimRejected;
import io.claimshub.event.ClaimSlaBreached;
import io.claimshub.event.ClaimSubmitted;
import io.claimshub.event.ClaimType;
import io.claimshub.event.Claimant;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.event.Money;
import io.claimshub.event.PaymentMethod;
import io.claimshub.event.Priority;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.testsupport.TestRedis;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;

/**
 * A scripted lifecycle of many claims over several days and hours (submissions, assignments and reassignments,
 * documents, investigations, SLA breaches, decisions, payments, in three currencies), and the analytics records it
 * must give, computed here from the script itself, independently of the analytics code.
 */
public final class AnalyticsScenario {

    private static final String[] REGIONS = {"eu-west", "us east", "apac|north", "latam:sur"};
    private static final String[] CURRENCIES = {"EUR", "JPY", "USD"};

    /** Every event of every claim, each claim's in order. */
    final List<List<EventEnvelope>> claims = new ArrayList<>();
    /** record suffix (as in AnalyticsKeys) to field or member to value. */
    final Map<String, Map<String, BigDecimal>> expected = new TreeMap<>();
    private final Random random;

    private AnalyticsScenario(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} claims submitted over {@code days} days starting at {@code start}. */
    public static AnalyticsScenario generate(long seed, int count, Instant start, int days) {
        AnalyticsScenario scenario = new AnalyticsScenario(seed);
        for (int i = 0; i < count; i++) {
            scenario.claim(start.plusSeconds(scenario.random.nextInt(days * 86_400)).plusMillis(scenario.random.nextInt(1000)));
        }
        return scenario;
    }

    /** A start a few days back, so the hourly records are within their retention. */
    public static Instant recentStart(int daysBack) {
        return Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(daysBack));
    }

    public int eventCount() {
        return claims.stream().mapToInt(List::size).sum();
    }

    /** Appends every claim's events to its stream and the log, claims interleaved in time order of their events. */
    public void appendAll(ClaimEventStore store) {
        List<EventEnvelope> all = new ArrayList<>();
        claims.forEach(all::addAll);
        // stable sort by timestamp keeps each claim's own order (its timestamps increase)
        all.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        all.forEach(event -> store.append(event, ClaimEventStore.ANY));
    }

    private Instant later(Instant t, int maxMinutes) {
        return t.plusSeconds(60 + random.nextInt(maxMinutes * 60)).plusMillis(random.nextInt(1000));
    }

    private void claim(Instant submittedAt) {
        String claimId = ClaimIds.newClaimId();
        List<EventEnvelope> events = new ArrayList<>();
        ClaimType type = ClaimType.values()[random.nextInt(ClaimType.values().length)];
        String region = REGIONS[random.nextInt(REGIONS.length)];
        Priority priority = random.nextInt(4) == 0 ? Priority.URGENT : Priority.NORMAL;
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        long claimedMinor = 1000 + random.nextInt(5_000_000);
        events.add(EventEnvelope.of(claimId, submittedAt, new ClaimSubmitted("POL-1", type, LocalDate.parse("2026-01-01"),
                "scripted", money(claimedMinor, currency), new Claimant("A B", "a@example.com", "+447700900123"),
                region, priority)));
        count(submittedAt, "submitted", 1);
        count(submittedAt, "submitted:type:" + type.wireName(), 1);
        count(submittedAt, "submitted:region:" + region, 1);
        count(submittedAt, "submitted:priority:" + priority.wireName(), 1);
        count(submittedAt, "amount_claimed:" + currency, claimedMinor);
        Instant t = submittedAt;
        if (random.nextInt(10) == 0) {
            claims.add(events);
            return;
        }
        String adjuster = "ADJ-0" + (1 + random.nextInt(6));
        t = later(t, 120);
        events.add(EventEnvelope.of(claimId, t, new ClaimAssigned(adjuster, "N", t, t.plus(Duration.ofDays(60)))));
        count(t, "assigned", 1);
        score("assignment_times:" + day(t), member(claimId, type, region, adjuster), Duration.between(submittedAt, t));
        if (random.nextInt(10) == 0) {
            adjuster = "ADJ-0" + (1 + random.nextInt(6));
            t = later(t, 600);
            events.add(EventEnvelope.of(claimId, t, new ClaimAssigned(adjuster, "N", t, t.plus(Duration.ofDays(60)))));
            count(t, "assigned", 1);
        }
        for (int d = random.nextInt(3); d > 0; d--) {
            t = later(t, 300);
            events.add(EventEnvelope.of(claimId, t, new ClaimDocumentUploaded("DOC-" + d, "photo", "p.jpg", "a@example.com")));
            count(t, "documents", 1);
        }
        if (random.nextInt(3) == 0) {
            t = later(t, 300);
            events.add(EventEnvelope.of(claimId, t, new ClaimInvestigated("INV-1", InvestigationOutcome.CLEARED, "ok")));
            count(t, "investigated", 1);
        }
        if (random.nextInt(6) == 0) {
            t = later(t, 600);
            events.add(EventEnvelope.of(claimId, t, new ClaimSlaBreached(adjuster, t, t)));
            count(t, "sla_breaches", 1);
            board("adjusters_sla_breaches", t, adjuster, 1);
        }
        if (random.nextInt(5) == 0) {
            claims.add(events);
            return;
        }
        t = later(t, 600);
        Duration decision = Duration.between(submittedAt, t);
        score("processing_times:" + day(t), member(claimId, type, region, adjuster), decision);
        board("adjusters_decided", t, adjuster, 1);
        board("adjusters_decision_ms", t, adjuster, decision.toMillis());
        if (random.nextInt(3) == 0) {
            events.add(EventEnvelope.of(claimId, t, new ClaimRejected("NOT_COVERED", "no", adjuster)));
            count(t, "rejected", 1);
            claims.add(events);
            return;
        }
        long approvedMinor = random.nextBoolean() ? claimedMinor : claimedMinor / 2;
        events.add(EventEnvelope.of(claimId, t, new ClaimApproved(money(approvedMinor, currency), adjuster)));
        count(t, "approved", 1);
        count(t, "amount_approved:" + currency, approvedMinor);
        Instant approvedAt = t;
        if (random.nextInt(10) < 7) {
            t = later(t, 600);
            events.add(EventEnvelope.of(claimId, t, new ClaimPaymentInitiated("PAY-1", money(approvedMinor, currency),
                    PaymentMethod.BANK_TRANSFER)));
            count(t, "payments_initiated", 1);
            if (random.nextInt(10) < 8) {
                t = later(t, 600);
                events.add(EventEnvelope.of(claimId, t, new ClaimPaymentCompleted("PAY-1", t, "REF")));
                count(t, "payments_completed", 1);
                count(t, "amount_paid:" + currency, approvedMinor);
                board("regions_paid:" + currency, t, region, approvedMinor);
                board("types_paid:" + currency, t, type.wireName(), approvedMinor);
                score("payment_times:" + day(t), member(claimId, type, region, adjuster), Duration.between(approvedAt, t));
            }
        }
        claims.add(events);
    }

    private static Money money(long minor, String currency) {
        int digits = "JPY".equals(currency) ? 0 : 2;
        return new Money(BigDecimal.valueOf(minor, digits), currency);
    }

    private static String member(String claimId, ClaimType type, String region, String adjuster) {
        return claimId + " " + type.wireName() + " " + java.net.URLEncoder.encode(region, StandardCharsets.UTF_8) + " " + adjuster;
    }

    private static String day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    private void count(Instant t, String field, long n) {
        ZonedDateTime utc = t.atZone(ZoneOffset.UTC);
        add("daily:" + utc.toLocalDate(), field, n);
        add("hourly:" + utc.toLocalDate() + ":" + String.format("%02d", utc.getHour()), field, n);
    }

    private void board(String board, Instant t, String member, long n) {
        add("leaderboard:" + board + ":" + day(t), member, n);
        add("leaderboard:" + board + ":" + day(t).substring(0, 7), member, n);
    }

    private void score(String record, String member, Duration d) {
        expected.computeIfAbsent(record, r -> new TreeMap<>()).put(member, BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros());
    }

    private void add(String record, String field, long n) {
        expected.computeIfAbsent(record, r -> new TreeMap<>()).merge(field, BigDecimal.valueOf(n), BigDecimal::add);
    }

    /** The analytics records under {@code prefix} (e.g. {@code ns:analytics:}), by suffix, values normalised. */
    public static Map<String, Map<String, BigDecimal>> records(StringRedisTemplate redis, String prefix) {
        Map<String, Map<String, BigDecimal>> records = new TreeMap<>();
        List<String> names = new ArrayList<>();
        try (Cursor<String> scan = redis.scan(ScanOptions.scanOptions().match(prefix + "*").count(1000).build())) {
            scan.forEachRemaining(names::add);
        }
        for (String name : names) {
            String suffix = name.substring(prefix.length());
            if (!(suffix.startsWith("daily:") || suffix.startsWith("hourly:") || suffix.startsWith("leaderboard:")
                    || suffix.matches("(processing|assignment|payment)_times:.*"))) {
                continue;
            }
            Map<String, BigDecimal> values = new TreeMap<>();
            if (suffix.startsWith("daily:") || suffix.startsWith("hourly:")) {
                redis.<String, String>opsForHash().entries(name).forEach((f, v) -> values.put(f, new BigDecimal(v)));
            } else {
                for (ZSetOperations.TypedTuple<String> tuple : redis.opsForZSet().rangeWithScores(name, 0, -1)) {
                    values.put(tuple.getValue(), new BigDecimal(BigDecimal.valueOf(tuple.getScore()).stripTrailingZeros().toPlainString()));
                }
            }
            records.put(suffix, values);
        }
        return records;
    }

    public Map<String, Map<String, BigDecimal>> expectedNormalised() {
        Map<String, Map<String, BigDecimal>> normalised = new TreeMap<>();
        expected.forEach((record, values) -> {
            Map<String, BigDecimal> copy = new TreeMap<>();
            values.forEach((k, v) -> copy.put(k, new BigDecimal(v.stripTrailingZeros().toPlainString())));
            normalised.put(record, copy);
        });
        return normalised;
    }

    public static void deleteAll(String pattern) {
        List<String> names = new ArrayList<>();
        try (Cursor<String> scan = TestRedis.template().scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
            scan.forEachRemaining(names::add);
        }
        if (!names.isEmpty()) {
            TestRedis.template().delete(names);
        }
    }
}
