package io.claimshub.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimAnalyticsTest {

    private static final String CLAIM = "CLM-7Q2K9XAB";
    private static final LocalDate DAY = LocalDate.parse("2026-03-02");

    private final AnalyticsDeltas deltas = new AnalyticsDeltas();
    private ClaimCursor cursor = ClaimCursor.NONE;

    private void apply(String type, String at, String data) {
        AnalyticsEvent event = new AnalyticsEvent(type, Instant.parse(at), EventJson.parse(data, "data"));
        cursor = ClaimAnalytics.apply(cursor, CLAIM, cursor.version() + 1, "1-" + cursor.version(), event, deltas);
    }

    private void fullLifecycle() {
        apply("claim.submitted", "2026-03-02T09:00:00Z", """
                {"claimType":"auto","region":"eu-west","priority":"urgent","amountClaimed":{"amount":1500.05,"currency":"EUR"}}""");
        apply("claim.assigned", "2026-03-02T09:00:30.250Z", """
                {"adjusterId":"ADJ-1","adjusterName":"x","assignedAt":"2026-03-02T09:00:30Z","slaDeadline":"2026-03-03T09:00:00Z"}""");
        apply("claim.document.uploaded", "2026-03-02T10:00:00Z", "{}");
        apply("claim.investigated", "2026-03-02T11:00:00Z", "{}");
        apply("claim.sla.breached", "2026-03-03T09:00:00Z", """
                {"adjusterId":"ADJ-1"}""");
        apply("claim.approved", "2026-03-03T10:00:00Z", """
                {"approvedAmount":{"amount":"1200.5","currency":"EUR"},"approvedBy":"ADJ-1"}""");
        apply("claim.payment.initiated", "2026-03-03T11:00:00Z", """
                {"paymentId":"P1","amount":{"amount":1200.50,"currency":"EUR"},"method":"bank_transfer"}""");
        apply("claim.payment.completed", "2026-03-04T00:30:00Z", """
                {"paymentId":"P1"}""");
    }

    /** Sums of the changes per record and field (scores for sets): what the records hold after applying them. */
    static Map<String, Map<String, BigDecimal>> totals(List<AnalyticsChange> changes) {
        Map<String, Map<String, BigDecimal>> totals = new LinkedHashMap<>();
        for (AnalyticsChange change : changes) {
            AnalyticsKey key = change.key();
            String name = key.name() + ":" + (key.monthly() ? key.day().toString().substring(0, 7) : key.day())
                    + (key.kind() == AnalyticsKey.Kind.HOURLY ? ":" + key.hour() : "");
            Map<String, BigDecimal> fields = totals.computeIfAbsent(name, n -> new LinkedHashMap<>());
            BigDecimal amount = new BigDecimal(change.amount());
            if (change.op() == AnalyticsChange.Op.SCORE) {
                fields.put(change.member(), amount);
            } else {
                fields.merge(change.member(), amount, BigDecimal::add);
            }
        }
        return totals;
    }

    private Map<String, BigDecimal> record(String name) {
        return totals(deltas.changes()).getOrDefault(name, Map.of());
    }

    @Test
    void countsEachEventOnTheDayAndHourOfItsOwnTimestampWithAmountsInMinorUnits() {
        fullLifecycle();
        assertThat(record("daily:2026-03-02")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "submitted", BigDecimal.ONE, "submitted:type:auto", BigDecimal.ONE,
                "submitted:region:eu-west", BigDecimal.ONE, "submitted:priority:urgent", BigDecimal.ONE,
                "amount_claimed:EUR", new BigDecimal(150005), "assigned", BigDecimal.ONE,
                "documents", BigDecimal.ONE, "investigated", BigDecimal.ONE));
        assertThat(record("daily:2026-03-03")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "sla_breaches", BigDecimal.ONE, "approved", BigDecimal.ONE, "amount_approved:EUR", new BigDecimal(120050),
                "payments_initiated", BigDecimal.ONE));
        assertThat(record("daily:2026-03-04")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "payments_completed", BigDecimal.ONE, "amount_paid:EUR", new BigDecimal(120050)));
        assertThat(record("hourly:2026-03-02:9")).containsEntry("submitted", BigDecimal.ONE).containsEntry("assigned", BigDecimal.ONE)
                .doesNotContainKey("documents");
        assertThat(record("hourly:2026-03-02:10")).containsExactlyEntriesOf(Map.of("documents", BigDecimal.ONE));
        assertThat(record("hourly:2026-03-04:0")).containsEntry("payments_completed", BigDecimal.ONE);
    }

    @Test
    void timesEachClaimFromSubmissionToAssignmentDecisionAndFromApprovalToPayment() {
        fullLifecycle();
        String member = "CLM-7Q2K9XAB auto eu-west ADJ-1";
        assertThat(record("assignment_times:2026-03-02")).containsExactlyEntriesOf(Map.of(member, new BigDecimal("30.25")));
        assertThat(record("processing_times:2026-03-03")).containsExactlyEntriesOf(Map.of(member, new BigDecimal("90000")));
        assertThat(record("payment_times:2026-03-04")).containsExactlyEntriesOf(Map.of(member, new BigDecimal("52200")));
        assertThat(ProcessingTimes.timed(member, 1.5)).isEqualTo(new ProcessingTimes.Timed(CLAIM, "auto", "eu-west", "ADJ-1", 1.5));
    }

    @Test
    void scoresLeaderboardsPerDayAndPerMonth() {
        fullLifecycle();
        assertThat(record("adjusters_decided:2026-03-03")).containsExactlyEntriesOf(Map.of("ADJ-1", BigDecimal.ONE));
        assertThat(record("adjusters_decided:2026-03")).containsExactlyEntriesOf(Map.of("ADJ-1", BigDecimal.ONE));
        assertThat(record("adjusters_decision_ms:2026-03")).containsExactlyEntriesOf(Map.of("ADJ-1", new BigDecimal(90_000_000)));
        assertThat(record("adjusters_sla_breaches:2026-03-03")).containsExactlyEntriesOf(Map.of("ADJ-1", BigDecimal.ONE));
        assertThat(record("regions_paid:EUR:2026-03-04")).containsExactlyEntriesOf(Map.of("eu-west", new BigDecimal(120050)));
        assertThat(record("types_paid:EUR:2026-03")).containsExactlyEntriesOf(Map.of("auto", new BigDecimal(120050)));
    }

    @Test
    void aReassignmentCountsButDoesNotTimeTheClaimAgainAndTheDecisionGoesToTheLastAdjuster() {
        apply("claim.submitted", "2026-03-02T09:00:00Z", """
                {"claimType":"home","region":"r|1 x","priority":"normal","amountClaimed":{"amount":1000,"currency":"JPY"}}""");
        apply("claim.assigned", "2026-03-02T09:01:00Z", "{\"adjusterId\":\"ADJ-1\"}");
        apply("claim.assigned", "2026-03-02T09:02:00Z", "{\"adjusterId\":\"ADJ-2\"}");
        apply("claim.rejected", "2026-03-02T09:03:00Z", "{\"reasonCode\":\"X\"}");
        assertThat(record("daily:2026-03-02")).containsEntry("assigned", new BigDecimal(2)).containsEntry("rejected", BigDecimal.ONE)
                .containsEntry("amount_claimed:JPY", new BigDecimal(1000)).containsEntry("submitted:region:r|1 x", BigDecimal.ONE);
        assertThat(record("assignment_times:2026-03-02")).hasSize(1);
        String member = record("processing_times:2026-03-02").keySet().iterator().next();
        assertThat(ProcessingTimes.timed(member, 180)).isEqualTo(new ProcessingTimes.Timed(CLAIM, "home", "r|1 x", "ADJ-2", 180));
        assertThat(record("adjusters_decided:2026-03-02")).containsExactlyEntriesOf(Map.of("ADJ-2", BigDecimal.ONE));
    }

    @Test
    void anUnknownTypeOrUnreadableDataIsCountedAsUnknownAndStillMovesTheCursor() {
        apply("claim.teleported", "2026-03-02T09:00:00Z", "{}");
        apply("claim.submitted", "2026-03-02T09:00:00Z", "{\"claimType\":\"auto\"}");
        assertThat(record("daily:2026-03-02")).containsExactlyEntriesOf(Map.of("unknown", new BigDecimal(2)));
        assertThat(cursor.version()).isEqualTo(2);
        assertThat(ClaimAnalytics.loggedTypes()).containsKeys("claim.teleported", "claim.submitted");
    }

    @Test
    void minorUnitsAreExactOrRefused() {
        assertThat(ClaimAnalytics.minorUnits(new BigDecimal("12.34"), "EUR")).isEqualTo(1234);
        assertThat(ClaimAnalytics.minorUnits(new BigDecimal("12"), "EUR")).isEqualTo(1200);
        assertThat(ClaimAnalytics.minorUnits(new BigDecimal("1234"), "JPY")).isEqualTo(1234);
        assertThat(ClaimAnalytics.minorUnits(new BigDecimal("1.234"), "BHD")).isEqualTo(1234);
        assertThatThrownBy(() -> ClaimAnalytics.minorUnits(new BigDecimal("12.345"), "EUR")).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> ClaimAnalytics.minorUnits(new BigDecimal("1.5"), "JPY")).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void theCursorKeepsItsFactsThroughItsText() {
        fullLifecycle();
        assertThat(ClaimCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(ClaimCursor.decode(null)).isEqualTo(ClaimCursor.NONE);
        assertThat(cursor.encode()).startsWith("8|1-7|");
    }

    @Test
    void theCursorKeepsTextWithItsSeparatorsExactTimesAndEmptyFacts() {
        ClaimCursor odd = new ClaimCursor(12, "1700000000000-3", Instant.parse("1969-12-31T23:59:59.000000001Z"),
                "home|%7C", "%00", "", true, Instant.parse("2026-03-02T09:00:30.25Z"), -5L, "%");
        assertThat(ClaimCursor.decode(odd.encode())).isEqualTo(odd);
        ClaimCursor sparse = new ClaimCursor(1, "1-0", null, null, null, null, false, null, null, null);
        assertThat(ClaimCursor.decode(sparse.encode())).isEqualTo(sparse);
        assertThat(odd.encode()).startsWith("12|1700000000000-3|");
    }

    @Test
    void aCursorWrittenWithJsonFactsIsStillRead() {
        String old = "8|1-7|{\"submittedAt\":\"2026-03-02T09:00:00Z\",\"claimType\":\"auto\",\"region\":\"eu|west\","
                + "\"adjuster\":\"ADJ-1\",\"assignedBefore\":true,\"approvedAt\":\"2026-03-03T10:00:00.5Z\","
                + "\"paymentMinor\":120050,\"paymentCurrency\":\"EUR\"}";
        assertThat(ClaimCursor.decode(old)).isEqualTo(new ClaimCursor(8, "1-7", Instant.parse("2026-03-02T09:00:00Z"),
                "auto", "eu|west", "ADJ-1", true, Instant.parse("2026-03-03T10:00:00.5Z"), 120050L, "EUR"));
    }

    @Test
    void timestampsReadAsInstantParseReadsThem() {
        for (String stamp : List.of("2026-03-02T09:00:30Z", "2026-03-02T09:00:30.250Z", "2024-02-29T23:59:59.999999999Z",
                "1970-01-01T00:00:00.1Z", "0001-01-01T00:00:00Z", "2026-12-31T00:00:00.000Z", "2026-03-02T09:00:30+01:00",
                "2026-03-02t09:00:30z", "2026-06-30T23:59:60Z", "2026-03-02T09:00:30.Z")) {
            assertThat(AnalyticsEvent.timestamp(stamp)).as(stamp).isEqualTo(Instant.parse(stamp));
        }
        for (String bad : List.of("2026-02-29T09:00:30Z", "2026-13-02T09:00:30Z", "2026-03-02T24:00:30Z",
                "2026-03-02T09:00:30.1234567890Z", "2026-03-02 09:00:30Z", "x", "")) {
            assertThatThrownBy(() -> AnalyticsEvent.timestamp(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> AnalyticsEvent.timestamp(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventDataKeepsTheFieldsReadAndFailsAsTheWholeDocumentWould() throws Exception {
        String submitted = """
                {"policyNumber":"P","claimType":"auto","claimant":{"name":"A","tags":[1,{"x":null}]},"region":"eu",
                 "priority":"urgent","amountClaimed":{"amount":1500.50,"currency":"EUR"},"amount":7,"n":null}""";
        JsonNode whole = EventJson.mapper().readTree(submitted);
        JsonNode kept = AnalyticsEvent.data(submitted, ClaimAnalytics.dataFields("claim.submitted"));
        assertThat(kept).isEqualTo(((ObjectNode) whole.deepCopy()).retain("claimType", "region", "priority", "amountClaimed"));
        assertThat(kept.get("amountClaimed").get("amount").decimalValue()).isEqualByComparingTo("1500.50");
        assertThat(AnalyticsEvent.data("[1]", Set.of("a"))).isEqualTo(EventJson.mapper().readTree("[1]"));
        for (String bad : List.of("{\"claimant\":{\"a\":1,\"a\":2},\"claimType\":\"auto\"}", "{\"claimType\":\"auto\",\"x\":[1,}",
                "{\"claimType\":\"auto\"", "{\"claimType\":\"a\",\"claimType\":\"b\"}")) {
            assertThatThrownBy(() -> EventJson.mapper().readTree(bad)).as(bad).isInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> AnalyticsEvent.data(bad, Set.of("claimType"))).as(bad).isInstanceOf(java.io.IOException.class);
        }
        AnalyticsEvent event = AnalyticsEvent.fromFields(Map.of("eventType", "claim.submitted",
                "timestamp", "2026-03-02T09:00:00Z", "data", "{\"claimType\":\"auto\",\"claimType\":\"home\"}"));
        assertThat(event.data().isMissingNode()).isTrue();
    }

    @Test
    void secondsAreWrittenAsTheirPlainDecimal() {
        for (long millis : new long[] {0, 1, 10, 100, 999, 1000, 1001, 1010, 1100, 30_250, 90_500, 90_000_000, -1500,
                Long.MAX_VALUE}) {
            assertThat(ProcessingTimes.seconds(millis)).as("%d ms", millis)
                    .isEqualTo(new BigDecimal(millis).movePointLeft(3).stripTrailingZeros().toPlainString());
        }
    }

    @Test
    void statsGiveCountMeanNearestRankPercentilesAndMax() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertThat(ProcessingTimes.stats(values)).isEqualTo(new ProcessingTimes.Stats(100, 50.5, 50, 90, 99, 100));
        assertThat(ProcessingTimes.stats(new double[] {7.5})).isEqualTo(new ProcessingTimes.Stats(1, 7.5, 7.5, 7.5, 7.5, 7.5));
        assertThat(ProcessingTimes.stats(new double[] {1, 2, 10})).isEqualTo(new ProcessingTimes.Stats(3, 4.333, 2, 10, 10, 10));
        assertThat(ProcessingTimes.stats(new double[0]).count()).isZero();
        List<ProcessingTimes.Timed> timed = new ArrayList<>(List.of(new ProcessingTimes.Timed("a", "auto", "n", "A", 10),
                new ProcessingTimes.Timed("b", "home", "n", "A", 20), new ProcessingTimes.Timed("c", "auto", "s", "B", 30)));
        assertThat(ProcessingTimes.statsBy(timed, t -> t.by("type"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "auto", new ProcessingTimes.Stats(2, 20, 10, 30, 30, 30), "home", new ProcessingTimes.Stats(1, 20, 20, 20, 20, 20)));
    }

    @Test
    void rankingGivesTiesTheSameRankAndOrdersThemByName() {
        Map<String, Double> scores = Map.of("ADJ-3", 5.0, "ADJ-1", 7.0, "ADJ-2", 5.0, "ADJ-4", 1.0, "ADJ-0", 5.0);
        assertThat(Leaderboards.rank(scores, true, 10)).containsExactly(
                new Leaderboards.Ranked(1, "ADJ-1", 7), new Leaderboards.Ranked(2, "ADJ-0", 5),
                new Leaderboards.Ranked(2, "ADJ-2", 5), new Leaderboards.Ranked(2, "ADJ-3", 5),
                new Leaderboards.Ranked(5, "ADJ-4", 1));
        assertThat(Leaderboards.rank(scores, false, 2)).containsExactly(
                new Leaderboards.Ranked(1, "ADJ-4", 1), new Leaderboards.Ranked(2, "ADJ-0", 5));
    }

    @Test
    void meanDecisionTimeRanksOnlyAdjustersWithEnoughDecisionsFastestFirst() {
        Map<String, Double> decided = Map.of("A", 4.0, "B", 2.0, "C", 3.0);
        Map<String, Double> millis = Map.of("A", 40_000.0, "B", 1_000.0, "C", 30_000.0);
        assertThat(Leaderboards.byMeanDecisionTime(decided, millis, 3, 10)).containsExactly(
                new Leaderboards.Ranked(1, "A", 10), new Leaderboards.Ranked(1, "C", 10));
    }
}
