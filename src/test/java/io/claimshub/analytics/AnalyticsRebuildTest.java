package io.claimshub.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.event.EventEnvelope;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.store.AppendResult;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.testsupport.TestRedis;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every analytics key deleted, then rebuilt from the log while new claims keep arriving and being counted: the
 * records are exactly those of both scripts, in the design's key names, and nothing of the old generation is left.
 */
@Tag("redis")
class AnalyticsRebuildTest {

    private final String log = TestRedis.uniqueKey("analytics-rebuild-log");
    private final String namespace = TestRedis.uniqueKey("analytics-rebuild");

    @AfterEach
    void cleanUp() {
        TestRedis.template().delete(log);
        AnalyticsScenario.deleteAll(namespace + ":*");
    }

    @Test
    void aRebuildAfterDeletingEveryKeyWhileEventsArriveGivesExactlyTheNumbers() throws Exception {
        AnalyticsKeys keys = new AnalyticsKeys(namespace);
        AnalyticsStore store = new AnalyticsStore(TestRedis.connectionFactory(), keys, Duration.ofDays(400),
                Duration.ofDays(14), Clock.systemUTC(), AnalyticsMetrics.NONE);
        ClaimEventStore events = new ClaimEventStore(TestRedis.connectionFactory(), log);
        AnalyticsScenario before = AnalyticsScenario.generate(3, 200, AnalyticsScenario.recentStart(6), 3);
        before.appendAll(events);
        AnalyticsExactnessTest.countInBatches(store, AnalyticsExactnessTest.readLog(log), null);
        assertThat(AnalyticsScenario.records(TestRedis.template(), keys.livePrefix())).isEqualTo(before.expectedNormalised());

        AnalyticsScenario.deleteAll(namespace + ":*");
        AnalyticsScenario during = AnalyticsScenario.generate(4, 100, AnalyticsScenario.recentStart(3), 2);
        AnalyticsRebuild rebuild = new AnalyticsRebuild(TestRedis.connectionFactory(), store, log, 100, Clock.systemUTC());
        // a live counter: appends the new claims' events and counts each few as the consumer would
        CompletableFuture<Void> live = CompletableFuture.runAsync(() -> {
            List<EventEnvelope> all = new ArrayList<>();
            during.claims.forEach(all::addAll);
            all.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
            List<LogEntry> pending = new ArrayList<>();
            for (EventEnvelope event : all) {
                AppendResult.Appended appended = (AppendResult.Appended) events.append(event, ClaimEventStore.ANY);
                pending.add(new LogEntry(appended.globalEntryId(), StreamEntryCodec.encode(event, appended.version())));
                if (pending.size() == 10) {
                    assertThat(store.count(pending)).isEmpty();
                    pending.clear();
                }
            }
            assertThat(store.count(pending)).isEmpty();
        });
        AnalyticsRebuild.Result result = rebuild.run();
        live.get();

        Map<String, Map<String, BigDecimal>> expected = new TreeMap<>(before.expectedNormalised());
        during.expectedNormalised().forEach((record, values) -> values.forEach((member, value) ->
                expected.computeIfAbsent(record, r -> new TreeMap<>()).merge(member, value, BigDecimal::add)));
        assertThat(AnalyticsScenario.records(TestRedis.template(), keys.livePrefix())).isEqualTo(expected);
        assertThat(result.generation()).isEqualTo(1);
        assertThat(result.entries()).isGreaterThanOrEqualTo(before.eventCount());
        assertThat(TestRedis.template().opsForValue().get(keys.generation())).isEqualTo("1");
        assertThat(TestRedis.template().hasKey(keys.rebuilding())).isFalse();
        assertThat(TestRedis.template().keys(keys.rebuildPrefix() + "*")).isEmpty();
        assertThat(TestRedis.template().keys(keys.cursorPattern())).allSatisfy(cursor ->
                assertThat(TestRedis.template().opsForHash().keys(cursor)).containsExactly("g1"));
    }
}
