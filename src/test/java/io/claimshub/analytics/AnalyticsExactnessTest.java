package io.claimshub.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.store.ClaimEventStore;
import io.claimshub.testsupport.TestRedis;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamOffset;

/**
 * A scripted lifecycle of 300 claims counted by the analytics store against a real Redis: in order, shuffled with
 * duplicates, and by three concurrent counters; every way ends with the records the script itself gives.
 */
@Tag("redis")
class AnalyticsExactnessTest {

    private static final String LOG = TestRedis.uniqueKey("analytics-log");
    private static AnalyticsScenario scenario;
    private static List<LogEntry> log;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    static void appendTheScript() {
        scenario = AnalyticsScenario.generate(42, 300, AnalyticsScenario.recentStart(6), 4);
        scenario.appendAll(new ClaimEventStore(TestRedis.connectionFactory(), LOG));
        log = readLog(LOG);
        assertThat(log).hasSize(scenario.eventCount());
    }

    @AfterAll
    static void deleteLog() {
        TestRedis.template().delete(LOG);
    }

    @org.junit.jupiter.api.AfterEach
    void deleteRecords() {
        namespaces.forEach(ns -> AnalyticsScenario.deleteAll(ns + ":*"));
    }

    static List<LogEntry> readLog(String stream) {
        List<LogEntry> entries = new ArrayList<>();
        for (MapRecord<String, Object, Object> record : TestRedis.template().opsForStream().read(StreamOffset.fromStart(stream))) {
            Map<String, String> fields = new LinkedHashMap<>();
            record.getValue().forEach((k, v) -> fields.put(k.toString(), v.toString()));
            entries.add(new LogEntry(record.getId().getValue(), fields));
        }
        return entries;
    }

    private AnalyticsStore newStore() {
        String namespace = TestRedis.uniqueKey("analytics");
        namespaces.add(namespace);
        return new AnalyticsStore(TestRedis.connectionFactory(), new AnalyticsKeys(namespace), Duration.ofDays(400),
                Duration.ofDays(14), Clock.systemUTC(), AnalyticsMetrics.NONE);
    }

    private static Map<String, Map<String, BigDecimal>> records(AnalyticsStore store) {
        return AnalyticsScenario.records(TestRedis.template(), store.keys().livePrefix());
    }

    static void countInBatches(AnalyticsStore store, List<LogEntry> entries, Random sizes) {
        for (int i = 0; i < entries.size(); ) {
            int n = sizes == null ? 50 : 1 + sizes.nextInt(100);
            assertThat(store.count(entries.subList(i, Math.min(entries.size(), i + n)))).isEmpty();
            i += n;
        }
    }

    @Test
    void inOrderGivesTheScriptedNumbers() {
        AnalyticsStore store = newStore();
        countInBatches(store, log, null);
        assertThat(records(store)).isEqualTo(scenario.expectedNormalised());
        assertThat(scenario.expectedNormalised().keySet()).anyMatch(k -> k.startsWith("hourly:"))
                .anyMatch(k -> k.startsWith("payment_times:")).anyMatch(k -> k.startsWith("leaderboard:regions_paid:JPY"));
    }

    @Test
    void shuffledAcrossClaimsWithDuplicatesGivesTheSameNumbers() {
        AnalyticsStore store = newStore();
        Random random = new Random(7);
        List<LogEntry> shuffled = new ArrayList<>(log);
        for (int i = 0; i < log.size() / 3; i++) {
            shuffled.add(log.get(random.nextInt(log.size())));
        }
        Collections.shuffle(shuffled, random);
        countInBatches(store, shuffled, random);
        // and once more, all of it, as after a crash that lost every acknowledgement
        countInBatches(store, log, random);
        assertThat(records(store)).isEqualTo(scenario.expectedNormalised());
    }

    @Test
    void concurrentCountersOfTheSameEntriesCountEachVersionOnce() throws Exception {
        AnalyticsStore store = newStore();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Random random = new Random(100 + t);
                List<LogEntry> mine = new ArrayList<>(log);
                Collections.shuffle(mine, random);
                done.add(threads.submit(() -> countInBatches(store, mine, random)));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(records(store)).isEqualTo(scenario.expectedNormalised());
    }

    @Test
    void aCopyOfAnEntryHandedOverWithOtherDataIsCountedFromItsClaimsStream() {
        AnalyticsStore store = newStore();
        LogEntry real = firstSubmission();
        // a dead letter or archived entry replayed from its copy: same id, event id and version, other data
        assertThat(store.count(List.of(new LogEntry(real.id(), edited(real), false)))).isEmpty();
        assertCountedAsTheStreamHoldsIt(store, real);
    }

    @Test
    void theRouteStepHandsAReplayedEntryOverAsACopy() {
        AnalyticsStore store = newStore();
        LogEntry real = firstSubmission();
        org.apache.camel.Exchange replayed = new org.apache.camel.support.DefaultExchange(
                new org.apache.camel.impl.DefaultCamelContext());
        replayed.setProperty(io.claimshub.ops.ReplayedEntries.REPLAY_COUNT, 1);
        assertThat(new AnalyticsBatches(store).count(List.of(new io.claimshub.component.redisstreams.RedisStreamsEntry(
                real.id(), edited(real), 1)), replayed)).isEmpty();
        assertCountedAsTheStreamHoldsIt(store, real);
    }

    private static LogEntry firstSubmission() {
        return log.stream().filter(e -> e.fields().get("eventType").equals("claim.submitted")).findFirst().orElseThrow();
    }

    private static String claimType(LogEntry entry) {
        return io.claimshub.event.EventJson.parse(entry.fields().get("data"), "data").get("claimType").asText();
    }

    private static Map<String, String> edited(LogEntry real) {
        Map<String, String> edited = new LinkedHashMap<>(real.fields());
        edited.put("data", real.fields().get("data").replace("\"claimType\":\"" + claimType(real) + "\"",
                "\"claimType\":\"edited\""));
        assertThat(edited.get("data")).contains("\"claimType\":\"edited\"");
        return edited;
    }

    private static void assertCountedAsTheStreamHoldsIt(AnalyticsStore store, LogEntry real) {
        assertThat(records(store).entrySet()).filteredOn(e -> e.getKey().startsWith("daily:")).singleElement()
                .satisfies(daily -> assertThat(daily.getValue()).containsEntry("submitted:type:" + claimType(real),
                        BigDecimal.ONE).doesNotContainKey("submitted:type:edited"));
    }

    @Test
    void entriesThatAreNotTheirClaimStreamsEventsAreDeadLetteredWithTheReason() {
        AnalyticsStore store = newStore();
        LogEntry real = log.get(0);
        Map<String, String> forged = new LinkedHashMap<>(real.fields());
        forged.put("eventId", "00000000-0000-0000-0000-000000000000");
        Map<String, String> tooFar = new LinkedHashMap<>(real.fields());
        tooFar.put("claimVersion", "99");
        Map<String, String> noClaim = new LinkedHashMap<>(real.fields());
        noClaim.put("claimId", "CLM-../../x");
        Map<String, String> badVersion = new LinkedHashMap<>(real.fields());
        badVersion.put("claimVersion", "-1");
        Map<String, String> dead = store.count(List.of(new LogEntry("1-1", forged), new LogEntry("1-2", tooFar),
                new LogEntry("1-3", noClaim), new LogEntry("1-4", badVersion), real));
        assertThat(dead).containsOnlyKeys("1-1", "1-2", "1-3", "1-4");
        assertThat(dead.get("1-1")).contains("is another event");
        assertThat(dead.get("1-2")).contains("has no version 99");
        assertThat(dead.get("1-3")).contains("claimId");
        assertThat(dead.get("1-4")).contains("claimVersion");
    }
}
