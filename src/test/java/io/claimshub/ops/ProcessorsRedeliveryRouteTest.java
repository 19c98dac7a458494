package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.component.redisstreams.DeadLetterFields;
import io.claimshub.event.InvalidEventException;
import io.claimshub.testsupport.HubRoutesTestSupport;
import io.claimshub.testsupport.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * The hub's processors route as the hub loads it (consumer-group template reading a real Redis log, the steps route,
 * its dead-letter channel and the dead-letter route), with AdviceWith putting mock endpoints in place of the steps'
 * beans: how often a failing step is tried, and what reaches the dead-letter stream.
 */
@Tag("redis")
class ProcessorsRedeliveryRouteTest extends HubRoutesTestSupport {

    private static final int MAX_REDELIVERIES = 2;

    private static final List<String> HUB_ROUTES = List.of(
            "configuration/dead-letter-channel", "ops/dead-letter", "templates/consumer-group", "processing/processors");

    /** Stands in for the assignment bean's filter: every entry is outstanding. */
    public static final class EveryEntryOutstanding {
        public boolean isOutstanding(Map<String, String> entry, String entryId) {
            return true;
        }
    }

    @Override
    protected List<String> hubRouteFiles() {
        return HUB_ROUTES;
    }

    /** A log of this test's own and quick redeliveries. */
    @Override
    protected Map<String, String> settings() {
        return Map.of(
                "hub.events.stream", TestRedis.uniqueKey("events"),
                "hub.consumer.name", "test",
                "hub.consumer.block", "100",
                "hub.retry.max-redeliveries", Integer.toString(MAX_REDELIVERIES),
                "hub.retry.delay", "10");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("redisConnectionFactory", TestRedis.connectionFactory());
        registry.bind("deadLetterDescription", new DeadLetterDescription());
        registry.bind("claimAssignment", new EveryEntryOutstanding());
    }

    /** The snapshot step (first bean) becomes mock:snapshot doing {@code snapshotStep}, the assignment step mock:assignment. */
    private void startWithSnapshotStep(Processor snapshotStep) throws Exception {
        AdviceWith.adviceWith(context, "processors-steps", route -> {
            route.weaveByType(BeanDefinition.class).selectFirst().replace().to("mock:snapshot");
            route.weaveByType(BeanDefinition.class).selectLast().replace().to("mock:assignment");
        });
        AdviceWith.adviceWith(context, "dead-letter", route -> route.weaveAddLast().to("mock:dead-lettered"));
        getMockEndpoint("mock:snapshot").whenAnyExchangeReceived(snapshotStep);
        context.start();
    }

    @AfterEach
    void removeStreams() {
        TestRedis.template().delete(List.of(stream(), deadLetters()));
    }

    @Test
    void aStepThatKeepsFailingIsRedeliveredTheConfiguredTimesThenDeadLetteredAndAcknowledged() throws Exception {
        // given an event on the log
        String id = TestRedis.template().opsForStream().add(stream(), Map.of("eventType", "claim.submitted",
                "claimId", "CLM-0000RTR1")).getValue();

        // when the snapshot step fails on it every time, as a partner system that keeps timing out
        startWithSnapshotStep(exchange -> {
            throw new IllegalStateException("policy system timed out");
        });

        // expect one delivery and hub.retry.max-redeliveries redeliveries, then one dead letter; the next step never runs
        MockEndpoint snapshot = getMockEndpoint("mock:snapshot");
        MockEndpoint deadLettered = getMockEndpoint("mock:dead-lettered");
        snapshot.expectedMessageCount(1 + MAX_REDELIVERIES);
        deadLettered.expectedMessageCount(1);
        MockEndpoint.assertIsSatisfied(deadLettered, snapshot);
        assertThat(getMockEndpoint("mock:assignment").getReceivedCounter()).isZero();

        // and the dead-letter stream in Redis says why, for which entry of which group
        Map<Object, Object> deadLetter = onlyDeadLetter();
        assertThat(deadLetter)
                .containsEntry(DeadLetterFields.REASON, "redeliveries-exhausted")
                .containsEntry(DeadLetterFields.GROUP, "processors")
                .containsEntry(DeadLetterFields.ENTRY_ID, id)
                .containsEntry("claimId", "CLM-0000RTR1");
        assertThat((String) deadLetter.get(DeadLetterFields.ERROR)).contains("policy system timed out");
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
    }

    @Test
    void anInvalidEventIsDeadLetteredOnItsFirstDeliveryWithoutRedeliveries() throws Exception {
        // given an event on the log
        String id = TestRedis.template().opsForStream().add(stream(), Map.of("eventType", "claim.submitted",
                "claimId", "CLM-0000RTR2")).getValue();

        // when the snapshot step finds it is no valid claim event
        startWithSnapshotStep(exchange -> {
            throw new InvalidEventException("claimId", "not in the claim's stream");
        });

        // expect a single delivery and a dead letter saying it is an invalid event
        MockEndpoint snapshot = getMockEndpoint("mock:snapshot");
        MockEndpoint deadLettered = getMockEndpoint("mock:dead-lettered");
        snapshot.expectedMessageCount(1);
        deadLettered.expectedMessageCount(1);
        MockEndpoint.assertIsSatisfied(deadLettered, snapshot);
        assertThat(getMockEndpoint("mock:assignment").getReceivedCounter()).isZero();

        assertThat(onlyDeadLetter())
                .containsEntry(DeadLetterFields.REASON, "invalid-event")
                .containsEntry(DeadLetterFields.ENTRY_ID, id);
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
    }

    @Test
    void anEventBothStepsTakeIsAcknowledgedWithoutADeadLetter() throws Exception {
        // given an event on the log
        TestRedis.template().opsForStream().add(stream(), Map.of("eventType", "claim.submitted", "claimId", "CLM-0000RTR3"));

        // when the snapshot step takes it
        startWithSnapshotStep(exchange -> { });

        // expect it handed on to the assignment step once, with the entry's fields, and acknowledged
        MockEndpoint assignment = getMockEndpoint("mock:assignment");
        assignment.expectedMessageCount(1);
        assignment.message(0).body().isInstanceOf(Map.class);
        assignment.message(0).simple("${body[claimId]}").isEqualTo("CLM-0000RTR3");
        assignment.assertIsSatisfied();
        assertThat(getMockEndpoint("mock:snapshot").getReceivedCounter()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
        assertThat(getMockEndpoint("mock:dead-lettered").getReceivedCounter()).isZero();
        assertThat(TestRedis.template().hasKey(deadLetters())).isFalse();
    }

    private String stream() {
        return context.resolvePropertyPlaceholders("{{hub.events.stream}}");
    }

    private String deadLetters() {
        return stream() + ":dlq";
    }

    private Map<Object, Object> onlyDeadLetter() {
        var entries = TestRedis.template().opsForStream().range(deadLetters(), Range.unbounded());
        assertThat(entries).hasSize(1);
        return entries.get(0).getValue();
    }

    private long pending() {
        try (RedisConnection c = TestRedis.connectionFactory().getConnection()) {
            List<?> summary = (List<?>) c.execute("XPENDING", bytes(stream()), bytes("processors"));
            return (Long) summary.get(0);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
