package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.claimshub.testsupport.TestRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A consumer pausing between short batches (readDelay) stops at once rather than at the end of its pause.
 */
@Tag("redis")
class RedisStreamsReadDelayTest {

    private final StreamFixture redis = StreamFixture.onTestRedis();
    private final String stream = TestRedis.uniqueKey("stream");
    private CamelContext context;

    @AfterEach
    void cleanUp() {
        if (context != null) {
            context.stop();
        }
        redis.delete(stream);
    }

    @Test
    void aConsumerInItsReadDelayStopsWithoutWaitingForTheDelayToEnd() throws Exception {
        // given a consumer with a long read delay that has just processed a short batch, so is pausing
        Set<String> processed = ConcurrentHashMap.newKeySet();
        context = StreamFixture.context(TestRedis.connectionFactory(), new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + stream + "?group=g&consumerName=c&readDelay=60000")
                        .process(exchange -> processed.add(exchange.getMessage()
                                .getHeader(RedisStreamsConstants.ENTRY_ID, String.class)));
            }
        });
        context.start();
        String id = redis.add(stream, Map.of("n", "0"));
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.contains(id));

        // when the route stops
        long started = System.nanoTime();
        context.stop();

        // expect it stopped in moments (the pause alone would hold it for the 30 s shutdown timeout), the entry
        // acknowledged on the way out
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(redis.pendingIds(stream, "g")).isEmpty();
    }
}
