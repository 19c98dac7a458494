package io.claimshub.api;

import static io.claimshub.api.ClaimsApiClient.json;
import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.analytics.AnalyticsKeys;
import io.claimshub.analytics.AnalyticsScenario;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The analytics REST API and Prometheus meters of a booted hub that counted a scripted lifecycle. Not repeated against
 * Redis 7 in CI: it is about the API; the analytics scripts run in the tagged AnalyticsExactnessTest and AnalyticsHubTest.
 */
class AnalyticsApiTest {

    private static final String STREAM = TestRedis.uniqueKey("analytics-api-events");
    private static final String NAMESPACE = TestRedis.uniqueKey("analytics-api");
    private static TestHub hub;
    private static ClaimsApiClient api;
    private static AnalyticsScenario scenario;
    private static Map<String, Map<String, BigDecimal>> expected;

    @BeforeAll
    static void countAScript() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.analytics.namespace", NAMESPACE,
                "hub.analytics.leaderboard-min-decisions", "2",
                "hub.ingest.enabled", "false",
                "hub.consumer.name", "analytics-api-test",
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml")));
        api = new ClaimsApiClient(hub.apiBase());
        scenario = AnalyticsScenario.generate(5, 80, AnalyticsScenario.recentStart(4), 2);
        scenario.appendAll(new ClaimEventStore(TestRedis.connectionFactory(), STREAM));
        expected = scenario.expectedNormalised();
        String prefix = new AnalyticsKeys(NAMESPACE).livePrefix();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> AnalyticsScenario.records(TestRedis.template(), prefix).equals(expected));
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
        AnalyticsScenario.deleteAll(NAMESPACE + ":*");
    }

    private static String firstDay(String recordPrefix) {
        return expected.keySet().stream().filter(k -> k.startsWith(recordPrefix)).findFirst().orElseThrow()
                .substring(recordPrefix.length(), recordPrefix.length() + 10);
    }

    private static Map<String, BigDecimal> numbers(JsonNode object) {
        Map<String, BigDecimal> numbers = new TreeMap<>();
        object.fields().forEachRemaining(e -> numbers.put(e.getKey(), e.getValue().decimalValue()));
        return numbers;
    }

    @Test
    void dailyGivesTheDaysCountersAndApprovalRate() throws Exception {
        for (String record : expected.keySet().stream().filter(k -> k.startsWith("daily:")).toList()) {
            String day = record.substring("daily:".length());
            HttpResponse<String> response = api.get("/api/analytics/daily/" + day);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(numbers(body.get("counters"))).isEqualTo(expected.get(record));
            long approved = expected.get(record).getOrDefault("approved", BigDecimal.ZERO).longValue();
            long rejected = expected.get(record).getOrDefault("rejected", BigDecimal.ZERO).longValue();
            if (approved + rejected > 0) {
                assertThat(body.get("approvalRate").asDouble()).isCloseTo(approved / (double) (approved + rejected),
                        org.assertj.core.data.Offset.offset(0.0001));
            }
        }
    }

    @Test
    void hourlyGivesAll24HoursOfTheDay() throws Exception {
        String day = firstDay("hourly:");
        JsonNode hours = json(api.get("/api/analytics/hourly/" + day)).get("hours");
        assertThat(hours).hasSize(24);
        for (JsonNode hour : hours) {
            Map<String, BigDecimal> want = expected.getOrDefault("hourly:" + day + ":" + hour.get("hour").asText(), Map.of());
            assertThat(numbers(hour.get("counters"))).isEqualTo(want);
        }
    }

    @Test
    void processingTimesGiveStatisticsOverallAndPerGroup() throws Exception {
        String day = firstDay("processing_times:");
        List<BigDecimal> seconds = new ArrayList<>(expected.get("processing_times:" + day).values());
        seconds.sort(Comparator.naturalOrder());
        JsonNode decision = json(api.get("/api/analytics/processing-times/" + day + "?by=adjuster")).get("decision");
        assertThat(decision.get("count").asLong()).isEqualTo(seconds.size());
        assertThat(decision.get("maxSeconds").decimalValue()).isEqualByComparingTo(seconds.get(seconds.size() - 1));
        assertThat(decision.get("p50Seconds").decimalValue())
                .isEqualByComparingTo(seconds.get((int) Math.ceil(seconds.size() * 0.5) - 1));
        long grouped = 0;
        for (JsonNode group : (Iterable<JsonNode>) () -> decision.get("groups").elements()) {
            grouped += group.get("count").asLong();
        }
        assertThat(grouped).isEqualTo(seconds.size());
        assertThat(decision.get("groups").fieldNames()).toIterable().allMatch(name -> name.startsWith("ADJ-0"));
    }

    @Test
    void leaderboardsRankByTheMonthsScores() throws Exception {
        String month = firstDay("daily:").substring(0, 7);
        Map<String, BigDecimal> decided = expected.get("leaderboard:adjusters_decided:" + month);
        JsonNode entries = json(api.get("/api/analytics/leaderboards/adjusters-decided?period=month&date=" + month))
                .get("entries");
        assertThat(entries).hasSize(decided.size());
        long best = decided.values().stream().mapToLong(BigDecimal::longValue).max().orElseThrow();
        assertThat(entries.get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(entries.get(0).get("count").asLong()).isEqualTo(best);
        JsonNode paid = json(api.get("/api/analytics/leaderboards/regions-paid?period=month&date=" + month
                + "-01&currency=EUR&limit=2"));
        assertThat(paid.get("entries").size()).isLessThanOrEqualTo(2);
        JsonNode fastest = json(api.get("/api/analytics/leaderboards/adjusters-decision-time?period=month&date=" + month));
        assertThat(fastest.get("entries").get(0).get("meanSeconds").asDouble()).isPositive();
    }

    @Test
    void aRebuildOverRestEndsWithTheSameNumbersInANewGeneration() throws Exception {
        HttpResponse<String> started = api.post("/api/analytics/rebuild", "");
        assertThat(started.statusCode()).isEqualTo(202);
        long generation = json(started).get("generation").asLong();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> json(api.get("/api/analytics/rebuild")).get("state").asText().equals("done"));
        assertThat(json(api.get("/api/analytics/rebuild")).get("generation").asLong()).isEqualTo(generation);
        AnalyticsKeys keys = new AnalyticsKeys(NAMESPACE);
        assertThat(TestRedis.template().opsForValue().get(keys.generation())).isEqualTo(Long.toString(generation));
        assertThat(AnalyticsScenario.records(TestRedis.template(), keys.livePrefix())).isEqualTo(expected);
    }

    @Test
    void badParametersAre400sNamingTheParameter() throws Exception {
        Map<String, String> cases = Map.of(
                "/api/analytics/daily/2026-13-01", "date",
                "/api/analytics/hourly/yesterday", "date",
                "/api/analytics/processing-times/2026-03-02?by=colour", "by",
                "/api/analytics/leaderboards/fastest-cars", "board",
                "/api/analytics/leaderboards/adjusters-decided?period=year", "period",
                "/api/analytics/leaderboards/adjusters-decided?date=2026-02-30", "date",
                "/api/analytics/leaderboards/adjusters-decided?limit=0", "limit",
                "/api/analytics/leaderboards/types-paid?period=month", "currency");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> response = api.get(c.getKey());
            assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json(response).get("errors").get(0).get("field").asText()).as(c.getKey()).isEqualTo(c.getValue());
        }
    }

    @Test
    void theOpenApiDocumentListsTheAnalyticsOperations() throws Exception {
        String document = api.get("/api/openapi.json").body();
        assertThat(document).contains("/api/analytics/daily/{date}", "/api/analytics/hourly/{date}",
                "/api/analytics/processing-times/{date}", "/api/analytics/leaderboards/{board}");
    }

    @Test
    void prometheusHasTheAnalyticsMeters() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(hub.managementBase() + "/observe/metrics")).header("X-API-Key", TestHub.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("claimshub_analytics_claims_submitted_total{", "region=\"us east\"",
                "claimshub_analytics_claims_decided_total{", "decision=\"approved\"", "claimshub_analytics_claims_paid_total{",
                "claimshub_analytics_decision_time_seconds_bucket{", "claimshub_analytics_decision_time_seconds_count");
        double submitted = response.body().lines().filter(l -> l.startsWith("claimshub_analytics_claims_submitted_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(submitted).isEqualTo(expected.entrySet().stream().filter(e -> e.getKey().startsWith("daily:"))
                .mapToLong(e -> e.getValue().getOrDefault("submitted", BigDecimal.ZERO).longValue()).sum());
    }
}
