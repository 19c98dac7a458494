package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.claimshub.component.redisstreams.DeadLetterFields;
import io.claimshub.testsupport.HubRoutes;
import io.claimshub.testsupport.TestRedis;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The consumer-group route template the hub's groups are made from: a new group is a templatedRoute and a direct route
 * with its steps; its entries are acknowledged only once those steps have completed, and a step that keeps failing
 * sends the entry to the dead-letter stream under the group's name.
 */
@Tag("redis")
class ConsumerGroupTemplateTest {

    private static final String GROUP = "audit";
    /** All it takes to add a group reading the claim log. */
    private static final String AUDIT_GROUP = """
            - templatedRoute:
                routeTemplateRef: consumer-group
                routeId: audit
                parameters:
                  - { name: group, value: audit }
            - route:
                id: audit-steps
                routeConfigurationId: dead-letter-channel
                from:
                  uri: direct:audit
                  steps:
                    - bean:
                        ref: auditTrail
                        method: "record(${body}, ${header.CamelRedisStreamsGroup})"
            """;

    private final String stream = TestRedis.uniqueKey("events");
    private final String deadLetters = stream + ":dlq";
    private final StringRedisTemplate redis = TestRedis.template();
    private final AuditTrail auditTrail = new AuditTrail();
    private CamelContext context;

    /** The new group's work: holds an entry until released, fails for claim CLM-0000FAIL. */
    public static final class AuditTrail {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();

        public void record(Map<String, String> entry, String group) throws InterruptedException {
            if ("CLM-0000FAIL".equals(entry.get("claimId"))) {
                throw new IllegalStateException("audit store refused claim " + entry.get("claimId"));
            }
            entered.countDown();
            assertThat(release.await(20, TimeUnit.SECONDS)).isTrue();
            recorded.add(group + " " + entry.get("claimId"));
        }
    }

    @BeforeEach
    void start() throws Exception {
        context = HubRoutes.context(Map.of(
                "hub.events.stream", stream,
                "hub.consumer.name", "test",
                "hub.consumer.block", "100",
                "hub.retry.max-redeliveries", "1",
                "hub.retry.delay", "10"));
        context.getRegistry().bind("redisConnectionFactory", TestRedis.connectionFactory());
        context.getRegistry().bind("deadLetterDescription", new DeadLetterDescription());
        context.getRegistry().bind("auditTrail", auditTrail);
        HubRoutes.start(context, List.of("configuration/dead-letter-channel", "ops/dead-letter", "templates/consumer-group"),
                AUDIT_GROUP);
    }

    @AfterEach
    void stop() {
        auditTrail.release.countDown();
        context.stop();
        redis.delete(List.of(stream, deadLetters));
    }

    @Test
    void aNewGroupsEntryIsAcknowledgedOnlyAfterItsStepsHaveCompleted() throws Exception {
        redis.opsForStream().add(stream, Map.of("eventType", "claim.submitted", "claimId", "CLM-0000AUD1"));

        // while the group's step is still working on the entry, it stays pending
        assertThat(auditTrail.entered.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(pending()).isEqualTo(1);

        auditTrail.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
        assertThat(auditTrail.recorded).containsExactly("audit CLM-0000AUD1");
        assertThat(context.getRoute("audit").getEndpoint().getEndpointUri()).contains("group=audit");
    }

    @Test
    void aStepThatKeepsFailingDeadLettersTheEntryUnderTheGroupsName() {
        auditTrail.release.countDown();
        String id = redis.opsForStream().add(stream, Map.of("eventType", "claim.submitted", "claimId", "CLM-0000FAIL"))
                .getValue();

        await().atMost(Duration.ofSeconds(20)).until(() -> redis.opsForStream().size(deadLetters) == 1);
        Map<Object, Object> deadLetter = redis.opsForStream().range(deadLetters, Range.unbounded()).get(0).getValue();
        assertThat(deadLetter)
                .containsEntry(DeadLetterFields.GROUP, GROUP)
                .containsEntry(DeadLetterFields.ENTRY_ID, id)
                .containsEntry(DeadLetterFields.REASON, DeadLetterDescription.REASON_REDELIVERIES_EXHAUSTED)
                .containsEntry("claimId", "CLM-0000FAIL");
        assertThat((String) deadLetter.get(DeadLetterFields.ERROR)).contains("audit store refused");
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
    }

    private long pending() {
        try (RedisConnection c = TestRedis.connectionFactory().getConnection()) {
            List<?> summary = (List<?>) c.execute("XPENDING", bytes(stream), bytes(GROUP));
            return (Long) summary.get(0);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
