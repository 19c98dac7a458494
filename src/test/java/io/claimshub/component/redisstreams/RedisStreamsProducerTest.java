package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import io.claimshub.testsupport.TestRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class RedisStreamsProducerTest {

    private final StreamFixture redis = StreamFixture.onTestRedis();
    private final String stream = TestRedis.uniqueKey("producer");
    private CamelContext context;
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        context = StreamFixture.context(TestRedis.connectionFactory(), new RouteBuilder() {
            @Override
            public void configure() {
            }
        });
        context.start();
        producer = context.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        context.stop();
        redis.delete(stream);
    }

    @Test
    void addsAMapBodyAsTheEntryFieldsAndReturnsTheNewId() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventType", "claim.submitted");
        body.put("claimVersion", 1);

        Exchange result = producer.send("redis-streams:" + stream, e -> e.getMessage().setBody(body));

        String id = result.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
        assertThat(id).matches("\\d+-\\d+");
        assertThat(redis.entries(stream)).containsExactly(Map.of("eventType", "claim.submitted", "claimVersion", "1"));
    }

    @Test
    void addsAnyOtherBodyUnderTheBodyField() {
        producer.sendBody("redis-streams:" + stream + "?bodyField=payload", "{\"claimId\":\"CLM-00000001\"}");

        assertThat(redis.entries(stream)).containsExactly(Map.of("payload", "{\"claimId\":\"CLM-00000001\"}"));
    }

    @Test
    void trimsApproximatelyToMaxLen() {
        for (int i = 0; i < 1000; i++) {
            producer.sendBody("redis-streams:" + stream + "?maxLen=100", Map.of("n", i));
        }

        // approximate trimming removes whole radix-tree nodes: at least 100 entries stay, far fewer than 1000
        assertThat(redis.length(stream)).isBetween(100L, 300L);
    }

    @Test
    void trimsExactlyWhenApproximateTrimmingIsOff() {
        for (int i = 0; i < 300; i++) {
            producer.sendBody("redis-streams:" + stream + "?maxLen=100&approximateTrimming=false", Map.of("n", i));
        }

        assertThat(redis.length(stream)).isEqualTo(100L);
        assertThat(redis.entries(stream).get(0)).containsEntry("n", "200");
    }
}
