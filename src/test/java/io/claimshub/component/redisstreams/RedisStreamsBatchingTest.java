package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.claimshub.testsupport.TestRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import redis.embedded.RedisServer;

/**
 * The consumer with {@code batching=true} against a real Redis: one exchange per read with the entries as its body,
 * one acknowledgement after completion, all pending on failure, per-entry retry and dead letter, and the paths that
 * bring entries back (own pending replay, takeover, max deliveries, trimmed entries).
 */
@Tag("redis")
class RedisStreamsBatchingTest {

    private final StreamFixture redis = StreamFixture.onTestRedis();
    private final String stream = TestRedis.uniqueKey("batching");
    private final String errorsKey = RedisStreamsKeys.lastErrors(stream, "g");
    private final List<CamelContext> contexts = new ArrayList<>();

    @AfterEach
    void stopContexts() throws Exception {
        for (CamelContext context : contexts) {
            context.stop();
        }
        redis.delete(stream);
        redis.delete(stream + ":dlq");
        redis.delete(errorsKey);
    }

    private void start(String options, Processor processor) throws Exception {
        start(TestRedis.connectionFactory(), options, processor);
    }

    private void start(RedisConnectionFactory factory, String options, Processor processor) throws Exception {
        CamelContext context = StreamFixture.context(factory, new RouteBuilder() {
            @Override
            public void configure() {
                // a short block only makes the stop at the end of each test quicker
                from("redis-streams:" + stream + "?group=g&batching=true&block=300&" + options).process(processor);
            }
        });
        contexts.add(context);
        context.start();
    }

    @SuppressWarnings("unchecked")
    private static List<RedisStreamsEntry> batch(Exchange exchange) {
        return exchange.getMessage().getBody(List.class);
    }

    private static List<String> ids(List<RedisStreamsEntry> batch) {
        return batch.stream().map(RedisStreamsEntry::id).toList();
    }

    private Map<Object, Object> lastErrors() {
        return redis.template().opsForHash().entries(errorsKey);
    }

    @Test
    void aReadIsOneExchangeWhoseBodyListsTheEntriesWithTheirFieldsAndDeliveryCounts() throws Exception {
        // given three entries this consumer had read before a restart, and two new ones
        redis.createGroup(stream, "g");
        List<String> earlier = redis.add(stream, 3, Map.of("claimId", "CLM-00000001"));
        assertThat(redis.readWithoutAck(stream, "g", "c-1", 10)).hasSize(3);
        List<String> fresh = redis.add(stream, 2, Map.of("claimId", "CLM-00000002"));
        List<Exchange> received = new CopyOnWriteArrayList<>();

        // when it consumes in batches (takeover out of the way)
        start("consumerName=c&claimMinIdle=600000", exchange -> received.add(exchange.copy()));

        // expect its own pending entries re-read as one exchange (second delivery), then the new ones as another
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
        List<RedisStreamsEntry> replayed = batch(received.get(0));
        assertThat(ids(replayed)).containsExactlyElementsOf(earlier);
        assertThat(replayed).allSatisfy(e -> assertThat(e.deliveryCount()).isEqualTo(2));
        assertThat(replayed.get(1).fields()).containsExactly(Map.entry("n", "1"), Map.entry("claimId", "CLM-00000001"));
        List<RedisStreamsEntry> read = batch(received.get(1));
        assertThat(ids(read)).containsExactlyElementsOf(fresh);
        assertThat(read).allSatisfy(e -> assertThat(e.deliveryCount()).isEqualTo(1));
        assertThat(read.get(0).fields()).containsEntry("n", "0").containsEntry("claimId", "CLM-00000002");
        // with the headers that fit a batch, and no single entry id
        assertThat(received.get(1).getMessage().getHeaders())
                .containsEntry(RedisStreamsConstants.STREAM_KEY, stream)
                .containsEntry(RedisStreamsConstants.GROUP, "g")
                .containsEntry(RedisStreamsConstants.CONSUMER_NAME, "c-1")
                .doesNotContainKeys(RedisStreamsConstants.ENTRY_ID, RedisStreamsConstants.DELIVERY_COUNT);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
    }

    @Test
    void theBatchIsAcknowledgedInOneXackOnlyOnceItsExchangeCompleted(@TempDir Path dataDir) throws Exception {
        // given a Redis of its own, whose command counts are this test's alone, holding 50 entries
        int port = TestRedis.freePort();
        RedisServer server = TestRedis.newPrivateServer(port, dataDir);
        server.start();
        JedisConnectionFactory factory = TestRedis.connectionFactory("redis://127.0.0.1:" + port);
        try {
            StreamFixture own = new StreamFixture(factory);
            List<String> ids = own.add(stream, 50, Map.of());
            List<List<String>> batches = new CopyOnWriteArrayList<>();
            CountDownLatch inFlight = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);

            // when the route holds the batch
            start(factory, "consumerName=c&count=100&claimMinIdle=600000", exchange -> {
                batches.add(ids(batch(exchange)));
                inFlight.countDown();
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            });
            assertThat(inFlight.await(20, TimeUnit.SECONDS)).isTrue();

            // expect nothing acknowledged while it is in flight
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> own.pendingCount(stream, "g") == 50 && xackCalls(factory) == 0);

            // and, once it completed, all 50 acknowledged by a single XACK
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> own.pendingCount(stream, "g") == 0);
            assertThat(xackCalls(factory)).isEqualTo(1);
            assertThat(batches).containsExactly(ids);
            for (CamelContext context : contexts) {
                context.stop();
            }
        } finally {
            factory.destroy();
            server.stop();
        }
    }

    private static long xackCalls(RedisConnectionFactory factory) {
        try (RedisConnection connection = factory.getConnection()) {
            Properties stats = connection.serverCommands().info("commandstats");
            String xack = stats == null ? null : stats.getProperty("cmdstat_xack");
            if (xack == null) {
                return 0;
            }
            return Long.parseLong(xack.substring("calls=".length(), xack.indexOf(',')));
        }
    }

    @Test
    void aFailedExchangeLeavesEveryEntryPendingWithItsErrorAndTheBatchComesBack() throws Exception {
        // given five entries and a route that fails on the first attempt only
        List<String> ids = redis.add(stream, 5, Map.of());
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<List<String>> pendingAtRetry = new AtomicReference<>();
        AtomicReference<Map<Object, Object>> errorsAtRetry = new AtomicReference<>();
        List<List<RedisStreamsEntry>> batches = new CopyOnWriteArrayList<>();

        // when it consumes with a short takeover idle time
        start("consumerName=c&claimMinIdle=300&claimInterval=100", exchange -> {
            batches.add(batch(exchange));
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("analytics store unavailable");
            }
            pendingAtRetry.set(redis.pendingIds(stream, "g"));
            errorsAtRetry.set(lastErrors());
        });

        // expect the failure to have left all five pending, each with the error, and the whole batch redelivered
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts.get() >= 2);
        assertThat(pendingAtRetry.get()).containsExactlyElementsOf(ids);
        assertThat(errorsAtRetry.get()).containsOnlyKeys(ids.toArray());
        assertThat(errorsAtRetry.get().values()).allSatisfy(e -> assertThat(e.toString()).contains("analytics store unavailable"));
        assertThat(ids(batches.get(1))).containsExactlyElementsOf(ids);
        assertThat(batches.get(1)).allSatisfy(e -> assertThat(e.deliveryCount()).isEqualTo(2));

        // and, completed the second time, acknowledged with their errors cleared
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastErrors().isEmpty());
        assertThat(attempts.get()).isEqualTo(2);
    }

    @Test
    void theRouteCanLeaveOneEntryPendingAndDeadLetterAnotherWhileTheRestIsAcknowledged() throws Exception {
        // given six entries
        List<String> ids = redis.add(stream, 6, Map.of("claimId", "CLM-00000003"));
        String retried = ids.get(1);
        String rejected = ids.get(4);
        AtomicInteger exchanges = new AtomicInteger();

        // when the route asks to retry one and dead-letter another (no redelivery within the test)
        start("consumerName=c&claimMinIdle=600000", exchange -> {
            exchanges.incrementAndGet();
            exchange.setProperty(RedisStreamsConstants.BATCH_RETRY, List.of(retried));
            exchange.setProperty(RedisStreamsConstants.BATCH_DEAD_LETTER, Map.of(rejected, "claim.version is not a number"));
        });

        // expect the rejected one in the dead-letter stream with that reason, the retried one pending with an error,
        // and the other four acknowledged
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.length(stream + ":dlq") == 1);
        assertThat(redis.entries(stream + ":dlq").get(0))
                .containsEntry(DeadLetterFields.ENTRY_ID, rejected)
                .containsEntry(DeadLetterFields.SOURCE_STREAM, stream)
                .containsEntry(DeadLetterFields.GROUP, "g")
                .containsEntry(DeadLetterFields.CONSUMER, "c-1")
                .containsEntry(DeadLetterFields.DELIVERY_COUNT, "1")
                .containsEntry(DeadLetterFields.REASON, "claim.version is not a number")
                .containsEntry("claimId", "CLM-00000003")
                .containsEntry("n", "4");
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingIds(stream, "g").equals(List.of(retried)));
        assertThat(lastErrors()).containsOnlyKeys(retried);
        assertThat(lastErrors().get(retried).toString()).contains(RedisStreamsConstants.BATCH_RETRY);
        assertThat(exchanges.get()).isEqualTo(1);
    }

    @Test
    void anEntryLeftPendingWithAnErrorComesBackAloneAndItsNeighboursDoNot() throws Exception {
        // given four entries and a route that gives up on one of them once, with an error of its own
        List<String> ids = redis.add(stream, 4, Map.of());
        String flaky = ids.get(2);
        List<List<RedisStreamsEntry>> batches = new CopyOnWriteArrayList<>();
        AtomicReference<Object> errorAtRetry = new AtomicReference<>();

        start("consumerName=c&claimMinIdle=300&claimInterval=100", exchange -> {
            List<RedisStreamsEntry> batch = batch(exchange);
            batches.add(batch);
            if (batches.size() == 1) {
                exchange.setProperty(RedisStreamsConstants.BATCH_RETRY, Map.of(flaky, "adjuster lookup timed out"));
            } else {
                errorAtRetry.set(redis.template().opsForHash().get(errorsKey, flaky));
            }
        });

        // expect only that entry redelivered, as its second delivery, with its error recorded meanwhile
        await().atMost(Duration.ofSeconds(20)).until(() -> batches.size() >= 2);
        assertThat(ids(batches.get(0))).containsExactlyElementsOf(ids);
        assertThat(batches.get(1)).extracting(RedisStreamsEntry::id, RedisStreamsEntry::deliveryCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(flaky, 2L));
        assertThat(errorAtRetry.get()).isEqualTo("adjuster lookup timed out");
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastErrors().isEmpty());
        assertThat(batches).hasSize(2);
    }

    @Test
    void anEntryRetriedOnEveryDeliveryStillGoesToTheDeadLetterStreamAfterMaxDeliveries() throws Exception {
        // given a poison entry between good ones
        List<String> before = redis.add(stream, 3, Map.of("kind", "good"));
        String poison = redis.add(stream, Map.of("claimId", "CLM-POISON04", "kind", "poison"));
        List<String> after = redis.add(stream, 3, Map.of("kind", "good"));
        AtomicInteger poisonAttempts = new AtomicInteger();
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();

        // when the route leaves it pending every time it sees it
        start("consumerName=c&maxDeliveries=3&claimMinIdle=100&claimInterval=50", exchange -> {
            for (RedisStreamsEntry entry : batch(exchange)) {
                if ("poison".equals(entry.fields().get("kind"))) {
                    poisonAttempts.incrementAndGet();
                    exchange.setProperty(RedisStreamsConstants.BATCH_RETRY,
                            Map.of(entry.id(), "policy number unknown to the policy system"));
                } else {
                    processed.computeIfAbsent(entry.id(), k -> new AtomicInteger()).incrementAndGet();
                }
            }
        });

        // expect it dead-lettered after 3 deliveries with the error the route gave, and the good ones processed once
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.length(stream + ":dlq") == 1);
        assertThat(redis.entries(stream + ":dlq").get(0))
                .containsEntry(DeadLetterFields.ENTRY_ID, poison)
                .containsEntry(DeadLetterFields.REASON, "max-deliveries-exceeded")
                .containsEntry(DeadLetterFields.DELIVERY_COUNT, "4")
                .containsEntry(DeadLetterFields.ERROR, "policy number unknown to the policy system")
                .containsEntry("claimId", "CLM-POISON04");
        assertThat(poisonAttempts.get()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
        List<String> good = new ArrayList<>(before);
        good.addAll(after);
        assertThat(processed.keySet()).containsExactlyInAnyOrderElementsOf(good);
        assertThat(processed.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(redis.template().hasKey(errorsKey)).isFalse();
    }

    @Test
    void theEntriesOfACrashedConsumerAreTakenOverAsOneBatch() throws Exception {
        // given consumer A read 50 entries and died without acknowledging them
        redis.createGroup(stream, "g");
        List<String> ids = redis.add(stream, 50, Map.of());
        assertThat(redis.readWithoutAck(stream, "g", "crashed-A", 100)).hasSize(50);
        List<List<RedisStreamsEntry>> batches = new CopyOnWriteArrayList<>();

        // when consumer B consumes in batches with a short claimMinIdle
        start("consumerName=B&count=100&claimMinIdle=300&claimInterval=100", exchange -> batches.add(batch(exchange)));

        // expect all 50 taken over in one exchange, each on its second delivery, and acknowledged
        await().atMost(Duration.ofSeconds(20)).until(() -> !batches.isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
        assertThat(batches).hasSize(1);
        assertThat(ids(batches.get(0))).containsExactlyElementsOf(ids);
        assertThat(batches.get(0)).allSatisfy(e -> assertThat(e.deliveryCount()).isEqualTo(2));
    }

    @Test
    void anEntryTrimmedWhilePendingIsAcknowledgedAndLeftOutOfTheBatch() throws Exception {
        // given three entries this consumer had read, one of them since deleted from the stream
        redis.createGroup(stream, "g");
        List<String> ids = redis.add(stream, 3, Map.of());
        redis.readWithoutAck(stream, "g", "c-1", 10);
        redis.execute("XDEL", stream, ids.get(1));
        List<List<String>> batches = new CopyOnWriteArrayList<>();

        // when it restarts in batch mode
        start("consumerName=c&claimMinIdle=600000", exchange -> batches.add(ids(batch(exchange))));

        // expect the batch without the deleted one, and nothing left pending
        await().atMost(Duration.ofSeconds(20)).until(() -> !batches.isEmpty());
        assertThat(batches.get(0)).containsExactly(ids.get(0), ids.get(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
    }

    @Test
    void aBatchPropertyOfTheWrongTypeFailsTheBatchRatherThanAcknowledgingIt() throws Exception {
        // given two entries and a route that sets the retry property to a plain string
        List<String> ids = redis.add(stream, 2, Map.of());
        Set<String> seen = ConcurrentHashMap.newKeySet();
        start("consumerName=c&claimMinIdle=600000", exchange -> {
            seen.addAll(ids(batch(exchange)));
            exchange.setProperty(RedisStreamsConstants.BATCH_RETRY, ids.get(0));
        });

        // expect both pending, each with an error naming the property
        await().atMost(Duration.ofSeconds(20)).until(() -> lastErrors().size() == 2);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(redis.pendingIds(stream, "g")).containsExactlyElementsOf(ids);
        assertThat(lastErrors().values()).allSatisfy(e -> assertThat(e.toString()).contains(RedisStreamsConstants.BATCH_RETRY));
    }
}
