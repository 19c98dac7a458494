package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.claimshub.testsupport.TestRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The consumer against a real Redis: acknowledgement after completion, takeover, dead letters, competing consumers,
 * broadcast, graceful stop, suspension and idle-consumer cleanup.
 */
@Tag("redis")
class RedisStreamsConsumerTest {

    private final StreamFixture redis = StreamFixture.onTestRedis();
    private final String stream = TestRedis.uniqueKey("stream");
    private final List<CamelContext> contexts = new ArrayList<>();

    @AfterEach
    void stopContexts() throws Exception {
        redis.cleanUp(contexts, stream, "g");
    }

    private CamelContext start(String options, Processor processor) throws Exception {
        return start(stream, options, processor);
    }

    private CamelContext start(String key, String options, Processor processor) throws Exception {
        CamelContext context = StreamFixture.context(TestRedis.connectionFactory(), new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + key + "?" + options).process(processor);
            }
        });
        contexts.add(context);
        context.start();
        return context;
    }

    private static String entryId(Exchange exchange) {
        return exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
    }

    @Test
    void acknowledgesACompletedExchangeAndLeavesAFailedOnePending() throws Exception {
        // given an entry the route processes and one it fails on
        String good = redis.add(stream, Map.of("outcome", "ok"));
        String bad = redis.add(stream, Map.of("outcome", "fail"));
        Set<String> attempted = ConcurrentHashMap.newKeySet();

        // when the group consumes them
        start("group=g&consumerName=c&claimMinIdle=600000", exchange -> {
            attempted.add(entryId(exchange));
            if ("fail".equals(exchange.getMessage().getBody(Map.class).get("outcome"))) {
                throw new IllegalStateException("adjuster system unavailable");
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> attempted.size() == 2);

        // expect only the failed one pending, with its error remembered for a later dead letter
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(redis.pendingIds(stream, "g")).containsExactly(bad));
        assertThat(redis.pendingIds(stream, "g")).doesNotContain(good);
        assertThat(redis.template().<String, String>opsForHash().get(RedisStreamsKeys.lastErrors(stream, "g"), bad))
                .contains("adjuster system unavailable");
    }

    @Test
    void withAReadDelayEntriesArrivingAfterAShortBatchWaitAndComeTogether() throws Exception {
        // given a consumer that pauses 500 ms after a short batch, and has read one entry
        Map<String, Long> processedAt = new ConcurrentHashMap<>();
        start("group=g&consumerName=c&readDelay=500", exchange -> processedAt.put(entryId(exchange), System.nanoTime()));
        String first = redis.add(stream, Map.of("n", "0"));
        await().atMost(Duration.ofSeconds(20)).until(() -> processedAt.containsKey(first));
        long firstAt = processedAt.get(first);

        // when five more arrive at once
        List<String> next = redis.add(stream, 5, Map.of());

        // expect them read only once the delay after the first batch's read is over (without it: within milliseconds)
        await().atMost(Duration.ofSeconds(20)).until(() -> processedAt.keySet().containsAll(next));
        for (String id : next) {
            assertThat(Duration.ofNanos(processedAt.get(id) - firstAt)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingIds(stream, "g").isEmpty());
    }

    @Test
    void deliversEachEntryWithItsFieldsAndHeaders() throws Exception {
        String id = redis.add(stream, Map.of("eventType", "claim.submitted", "claimId", "CLM-00000001"));
        List<Exchange> received = new CopyOnWriteArrayList<>();

        start("group=g&consumerName=c", exchange -> received.add(exchange.copy()));

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        Exchange exchange = received.get(0);
        assertThat(exchange.getMessage().getBody(Map.class))
                .containsEntry("eventType", "claim.submitted").containsEntry("claimId", "CLM-00000001");
        assertThat(exchange.getMessage().getHeaders())
                .containsEntry(RedisStreamsConstants.STREAM_KEY, stream)
                .containsEntry(RedisStreamsConstants.ENTRY_ID, id)
                .containsEntry(RedisStreamsConstants.GROUP, "g")
                .containsEntry(RedisStreamsConstants.CONSUMER_NAME, "c-1")
                .containsEntry(RedisStreamsConstants.DELIVERY_COUNT, 1L);
    }

    @Test
    void takesOverTheEntriesOfACrashedConsumerAndProcessesEachOnce() throws Exception {
        // given consumer A read 50 entries and died without acknowledging them
        redis.createGroup(stream, "g");
        List<String> ids = redis.add(stream, 50, Map.of());
        assertThat(redis.readWithoutAck(stream, "g", "crashed-A", 100)).hasSize(50);
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        Map<String, Long> deliveries = new ConcurrentHashMap<>();

        // when consumer B of the same group runs with a short claimMinIdle
        start("group=g&consumerName=B&claimMinIdle=300&claimInterval=100", exchange -> {
            processed.computeIfAbsent(entryId(exchange), k -> new AtomicInteger()).incrementAndGet();
            deliveries.put(entryId(exchange), exchange.getMessage().getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class));
        });

        // expect B took every one over, processed each exactly once, and acknowledged them
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.size() == 50);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
        assertThat(processed.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(processed.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(deliveries.values()).allSatisfy(n -> assertThat(n).isEqualTo(2L));
    }

    @Test
    void movesAnEntryThatAlwaysFailsToTheDeadLetterStreamAndKeepsConsuming() throws Exception {
        // given a poison entry followed by good ones
        String poison = redis.add(stream, Map.of("claimId", "CLM-POISON01", "kind", "poison"));
        List<String> good = redis.add(stream, 5, Map.of("kind", "good"));
        AtomicInteger poisonAttempts = new AtomicInteger();
        Set<String> processed = ConcurrentHashMap.newKeySet();

        // when the route always fails on it
        start("group=g&consumerName=c&maxDeliveries=3&claimMinIdle=100&claimInterval=50", exchange -> {
            if ("poison".equals(exchange.getMessage().getBody(Map.class).get("kind"))) {
                poisonAttempts.incrementAndGet();
                throw new IllegalArgumentException("policy number unknown to the policy system");
            }
            processed.add(entryId(exchange));
        });

        // expect it in the dead-letter stream after 3 deliveries, with its error, and acknowledged
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.length(stream + ":dlq") == 1);
        Map<String, String> deadLetter = redis.entries(stream + ":dlq").get(0);
        assertThat(deadLetter)
                .containsEntry(DeadLetterFields.SOURCE_STREAM, stream)
                .containsEntry(DeadLetterFields.GROUP, "g")
                .containsEntry(DeadLetterFields.CONSUMER, "c-1")
                .containsEntry(DeadLetterFields.ENTRY_ID, poison)
                .containsEntry(DeadLetterFields.DELIVERY_COUNT, "4")
                .containsEntry(DeadLetterFields.REASON, "max-deliveries-exceeded")
                .containsEntry("claimId", "CLM-POISON01")
                .containsEntry("kind", "poison");
        assertThat(deadLetter.get(DeadLetterFields.ERROR)).contains("policy number unknown to the policy system");
        assertThat(poisonAttempts.get()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
        // and the entries behind it were processed
        assertThat(processed).containsExactlyInAnyOrderElementsOf(good);
        assertThat(redis.template().hasKey(RedisStreamsKeys.lastErrors(stream, "g"))).isFalse();
    }

    @Test
    void aDeadLetterKeepsTheEntrysReferenceFieldsAndTheStartOfAPayloadOverTheCap() throws Exception {
        // given a poison entry with a 1 MB payload
        String payload = DeadLetterFieldsTest.payload(1_000_000);
        String poison = redis.add(stream, Map.of("claimId", "CLM-POISON02", "eventId", "e-1", "data", payload));

        // when the route always fails on it, with dead letters capped at 4 KiB
        start("group=g&consumerName=c&maxDeliveries=1&deadLetterMaxEntryBytes=4096&claimMinIdle=100&claimInterval=50",
                exchange -> {
                    throw new IllegalArgumentException("y".repeat(100_000));
                });

        // expect a small dead letter that still says which entry it was, with the payload's start and its full size
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.length(stream + ":dlq") == 1);
        Map<String, String> deadLetter = redis.entries(stream + ":dlq").get(0);
        assertThat(deadLetter)
                .containsEntry(DeadLetterFields.ENTRY_ID, poison)
                .containsEntry(DeadLetterFields.GROUP, "g")
                .containsEntry("claimId", "CLM-POISON02")
                .containsEntry("eventId", "e-1")
                .containsEntry(DeadLetterFields.TRUNCATED, "data:1000000")
                .doesNotContainKey(DeadLetterFields.OMITTED);
        assertThat(payload).startsWith(deadLetter.get("data"));
        assertThat(deadLetter.get("data").length()).isGreaterThan(4096 - 200);
        assertThat(deadLetter.values().stream().mapToInt(String::length).sum()).isLessThanOrEqualTo(4096 + 2048);
    }

    @Test
    void aDeadLetterTrimsTheDeadLetterStreamToAboutDeadLetterMaxLen() throws Exception {
        // given a dead-letter stream already holding 1,000 entries (junk another program added), and a poison entry
        redis.add(stream + ":dlq", 1000, Map.of("junk", "x"));
        String poison = redis.add(stream, Map.of("claimId", "CLM-POISON03"));

        // when the route always fails on it, with the dead-letter stream limited to about 10 entries
        start("group=g&consumerName=c&maxDeliveries=1&deadLetterMaxLen=10&claimMinIdle=100&claimInterval=50",
                exchange -> {
                    throw new IllegalStateException("policy system timed out");
                });

        // expect the dead letter written and the stream trimmed with it (~: whole nodes of at most 100 entries go)
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.entries(stream + ":dlq").stream()
                .anyMatch(e -> poison.equals(e.get(DeadLetterFields.ENTRY_ID))));
        assertThat(redis.length(stream + ":dlq")).isBetween(10L, 200L);
    }

    @Test
    void twoCompetingConsumersSplitTenThousandEntriesWithNoneMissedOrTwice() throws Exception {
        // given 10,000 entries
        List<String> ids = redis.add(stream, 10_000, Map.of("eventType", "claim.submitted"));
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        Map<String, Set<String>> byInstance = new ConcurrentHashMap<>();

        // when two hub instances (two contexts) consume in one group, two threads each
        for (String instance : List.of("hub-a", "hub-b")) {
            Set<String> mine = ConcurrentHashMap.newKeySet();
            byInstance.put(instance, mine);
            start("group=g&consumerName=" + instance + "&concurrentConsumers=2&count=50", exchange -> {
                processed.computeIfAbsent(entryId(exchange), k -> new AtomicInteger()).incrementAndGet();
                mine.add(entryId(exchange));
            });
        }

        // expect every entry processed exactly once, the work shared, nothing left pending
        await().atMost(Duration.ofSeconds(60)).until(() -> processed.size() == 10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
        assertThat(processed.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(processed.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(byInstance.get("hub-a")).isNotEmpty();
        assertThat(byInstance.get("hub-b")).isNotEmpty();
    }

    @Test
    void everyGroupSeesEveryEntry() throws Exception {
        List<String> ids = redis.add(stream, 200, Map.of());
        Map<String, Set<String>> seen = new ConcurrentHashMap<>();

        for (String group : List.of("processors", "analytics", "notifications")) {
            Set<String> mine = ConcurrentHashMap.newKeySet();
            seen.put(group, mine);
            start("group=" + group + "&consumerName=hub", exchange -> mine.add(entryId(exchange)));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> seen.values().stream().allMatch(s -> s.size() == 200));
        assertThat(seen.values()).allSatisfy(s -> assertThat(s).containsExactlyInAnyOrderElementsOf(ids));
    }

    @Test
    void gracefulStopWithEntriesInFlightLosesNothing() throws Exception {
        // given 300 entries and a route that holds entry #20 until the stop has begun
        List<String> ids = redis.add(stream, 300, Map.of());
        Set<String> processed = ConcurrentHashMap.newKeySet();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CamelContext first = start("group=g&consumerName=hub&count=50", exchange -> {
            if ("20".equals(exchange.getMessage().getBody(Map.class).get("n"))) {
                held.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
            processed.add(entryId(exchange));
        });
        assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();

        // when the context stops while that entry is in flight
        Thread stopper = new Thread(() -> {
            try {
                first.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.start();
        await().atMost(Duration.ofSeconds(10)).until(first::isStopping);
        release.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(40));
        assertThat(first.isStopped()).isTrue();

        // expect the in-flight entry finished and acknowledged, and nothing acknowledged unprocessed
        assertThat(processed).contains(ids.get(20));
        Set<String> pending = new HashSet<>(redis.pendingIds(stream, "g"));
        for (String id : ids) {
            assertThat(processed.contains(id) || pending.contains(id) || !wasDelivered(id))
                    .as("entry %s was acknowledged without being processed", id).isTrue();
        }
        assertThat(pending).doesNotContainAnyElementsOf(processed);

        // and a restarted consumer of the same name finishes the rest
        start("group=g&consumerName=hub&count=50", exchange -> processed.add(entryId(exchange)));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed.size() == 300);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
    }

    /** An entry not yet delivered to the group lies after its last-delivered id. */
    private boolean wasDelivered(String id) {
        Object groups = redis.execute("XINFO", "GROUPS", stream);
        List<?> group = (List<?>) ((List<?>) groups).get(0);
        for (int i = 0; i + 1 < group.size(); i += 2) {
            if ("last-delivered-id".equals(new String((byte[]) group.get(i)))) {
                return compareIds(id, new String((byte[]) group.get(i + 1))) <= 0;
            }
        }
        throw new IllegalStateException("no last-delivered-id");
    }

    private static int compareIds(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    @Test
    void reReadsItsOwnPendingEntriesFirstWhenRestartedUnderTheSameName() throws Exception {
        // given entries this consumer name had read before a crash
        redis.createGroup(stream, "g");
        List<String> ids = redis.add(stream, 10, Map.of());
        redis.readWithoutAck(stream, "g", "hub-1", 10);
        Set<String> processed = ConcurrentHashMap.newKeySet();

        // when it starts again (takeover disabled by a long claimMinIdle)
        start("group=g&consumerName=hub&claimMinIdle=600000", exchange -> processed.add(entryId(exchange)));

        // expect it processes them at once
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.size() == 10);
        assertThat(processed).containsExactlyInAnyOrderElementsOf(ids);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
    }

    @Test
    void suspendedConsumerReadsNothingUntilResumed() throws Exception {
        Set<String> processed = ConcurrentHashMap.newKeySet();
        CamelContext context = StreamFixture.context(TestRedis.connectionFactory(), new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&consumerName=c&block=200").routeId("claims")
                        .process(exchange -> processed.add(entryId(exchange)));
            }
        });
        contexts.add(context);
        context.start();
        redis.add(stream, 1, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.size() == 1);

        context.getRouteController().suspendRoute("claims");
        redis.add(stream, 5, Map.of());
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> processed.size() == 1);

        context.getRouteController().resumeRoute("claims");
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.size() == 6);
    }

    @Test
    void removesIdleConsumersThatHaveNothingPendingButKeepsThoseThatDo() throws Exception {
        // given a consumer left by an earlier process with nothing pending, and one that still owns an entry
        redis.createGroup(stream, "g");
        redis.execute("XGROUP", "CREATECONSUMER", stream, "g", "gone-idle");
        redis.add(stream, 1, Map.of());
        redis.readWithoutAck(stream, "g", "gone-with-work", 1);
        assertThat(redis.consumerNames(stream, "g")).contains("gone-idle", "gone-with-work");

        // when a consumer runs with a short idle timeout (and no takeover yet)
        start("group=g&consumerName=live&idleConsumerTimeout=200&claimInterval=100&claimMinIdle=600000", exchange -> {
        });

        // expect only the idle one removed
        await().atMost(Duration.ofSeconds(20)).until(() -> !redis.consumerNames(stream, "g").contains("gone-idle"));
        assertThat(redis.consumerNames(stream, "g")).contains("gone-with-work", "live-1");
    }

    @Test
    void anEntryReadAheadAndTakenOverMeanwhileIsNotProcessedTwice() throws Exception {
        // given two entries; the consumer holds the first one long while it has already read the second ahead
        List<String> ids = redis.add(stream, 2, Map.of());
        Set<String> processed = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        start("group=g&consumerName=A&count=1&claimMinIdle=400&claimInterval=600000", exchange -> {
            if (entryId(exchange).equals(ids.get(0))) {
                release.await(30, TimeUnit.SECONDS);
            }
            processed.add(entryId(exchange));
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.pendingIds(stream, "g").size() == 2);

        // when another instance takes the read-ahead entry over once it is idle long enough, and finishes it
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Object reply = redis.execute("XAUTOCLAIM", stream, "g", "B", "400", "0-0", "COUNT", "10", "JUSTID");
            return ((List<?>) ((List<?>) reply).get(1)).stream()
                    .anyMatch(id -> ids.get(1).equals(new String((byte[]) id, java.nio.charset.StandardCharsets.UTF_8)));
        });
        redis.execute("XACK", stream, "g", ids.get(1));
        release.countDown();

        // expect the first entry done, and the second not processed again by the consumer that had read it ahead
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.contains(ids.get(0)));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> !processed.contains(ids.get(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
    }
}
