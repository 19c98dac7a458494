package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.claimshub.testsupport.TestRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import redis.embedded.RedisServer;

/**
 * The consumer survives what happens to Redis under it: a server restart, the group or the stream deleted, a key it
 * cannot read; it backs off rather than spinning, and reports health.
 */
@Tag("redis")
class RedisStreamsResilienceTest {

    private final String stream = TestRedis.uniqueKey("resilience");
    private final List<CamelContext> contexts = new ArrayList<>();
    private final Set<String> processed = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() throws Exception {
        for (CamelContext context : contexts) {
            context.stop();
        }
        TestRedis.template().delete(stream);
    }

    private CamelContext start(JedisConnectionFactory factory, String options) throws Exception {
        CamelContext context = StreamFixture.context(factory, new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&consumerName=c&block=300&" + options).routeId("claims")
                        .process(exchange -> processed.add(exchange.getMessage()
                                .getHeader(RedisStreamsConstants.ENTRY_ID, String.class)));
            }
        });
        contexts.add(context);
        context.start();
        return context;
    }

    private static HealthCheck.State consumerHealth(CamelContext context) {
        return HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:claims"))
                .findFirst().orElseThrow().getState();
    }

    @Test
    void resumesAfterRedisIsRestartedUnderItAndLosesNothing(@TempDir Path dataDir) throws Exception {
        // given a consumer on a Redis server of its own (AOF on every write)
        StreamFixture.PrivateRedis own = StreamFixture.PrivateRedis.start(dataDir);
        RedisServer server = own.server();
        JedisConnectionFactory factory = own.factory();
        StreamFixture redis = own.fixture();
        try {
            CamelContext context = start(factory, "reconnectDelay=50&reconnectMaxDelay=500");
            List<String> before = redis.add(stream, 20, Map.of());
            await().atMost(Duration.ofSeconds(20)).until(() -> processed.containsAll(before));

            // when the server stops, the consumer reports it, and the server comes back
            server.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> consumerHealth(context) == HealthCheck.State.DOWN);
            server.start();
            // the test's own pooled connections went stale with the old server; a retry takes a fresh one
            List<String> after = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> after.addAll(redis.add(stream, 20, Map.of())));

            // expect consumption to resume with nothing lost, and health UP again
            await().atMost(Duration.ofSeconds(30)).until(() -> processed.containsAll(after));
            assertThat(processed).containsAll(before);
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> consumerHealth(context) == HealthCheck.State.UP);
        } finally {
            for (CamelContext context : contexts) {
                context.stop();
            }
            contexts.clear();
            own.stop();
        }
    }

    @Test
    void recreatesADeletedGroupAndConsumesWhatFollows() throws Exception {
        StreamFixture redis = StreamFixture.onTestRedis();
        start(TestRedis.connectionFactory(), "reconnectDelay=50");
        List<String> first = redis.add(stream, 5, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.containsAll(first));

        redis.execute("XGROUP", "DESTROY", stream, "g");
        List<String> next = redis.add(stream, 5, Map.of());

        await().atMost(Duration.ofSeconds(20)).until(() -> processed.containsAll(next));
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
    }

    @Test
    void recreatesADeletedStreamAndConsumesWhatFollows() throws Exception {
        StreamFixture redis = StreamFixture.onTestRedis();
        start(TestRedis.connectionFactory(), "reconnectDelay=50");
        List<String> first = redis.add(stream, 5, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.containsAll(first));

        // a producer writes again right after the stream was deleted: its entries must not be skipped
        redis.delete(stream);
        List<String> next = redis.add(stream, 5, Map.of());

        await().atMost(Duration.ofSeconds(20)).until(() -> processed.containsAll(next));
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.pendingCount(stream, "g") == 0);
    }

    @Test
    void backsOffExponentiallyWhileTheStreamCannotBeReadThenRecovers() throws Exception {
        // given the stream key replaced by a value of another type: every read and every group creation fails
        StreamFixture redis = StreamFixture.onTestRedis();
        CamelContext context = start(TestRedis.connectionFactory(), "reconnectDelay=100&reconnectMaxDelay=1600");
        redis.add(stream, 1, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.size() == 1);
        long brokenAt = System.nanoTime();
        redis.delete(stream);
        TestRedis.template().opsForValue().set(stream, "not a stream");

        // expect attempts spaced 100, 200, 400, 800 ms ...: five failures take well over a second, not a hot loop
        RedisStreamsConsumer consumer = (RedisStreamsConsumer) context.getRoute("claims").getConsumer();
        await().atMost(Duration.ofSeconds(20)).until(() -> consumer.tasks().get(0).consecutiveFailures() >= 5);
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - brokenAt).toMillis();
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(100 + 200 + 400 + 800);
        assertThat(consumerHealth(context)).isEqualTo(HealthCheck.State.DOWN);

        // and when the key is a stream again, it recovers
        TestRedis.template().delete(stream);
        List<String> next = redis.add(stream, 3, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.containsAll(next));
        await().atMost(Duration.ofSeconds(10)).until(() -> consumerHealth(context) == HealthCheck.State.UP);
    }
}
