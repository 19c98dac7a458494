package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the exchange properties of a completed batch exchange are read: which entries to leave pending (with which
 * error) and which to dead-letter (with which reason); anything else is refused, naming the property.
 */
class BatchOutcomeTest {

    private final CamelContext context = new DefaultCamelContext();
    private final Exchange exchange = new DefaultExchange(context);

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void withoutPropertiesTheWholeBatchIsAcknowledged() {
        EntryDispatcher.BatchOutcome outcome = EntryDispatcher.BatchOutcome.of(exchange);

        assertThat(outcome.deadLetters()).isEmpty();
        assertThat(outcome.retries()).isEmpty();
        assertThat(outcome.size()).isZero();
    }

    @Test
    void retriesComeAsIdsOrAsIdsWithTheirErrors() {
        exchange.setProperty(RedisStreamsConstants.BATCH_RETRY, Set.of("1-0"));
        assertThat(EntryDispatcher.BatchOutcome.of(exchange).retries())
                .containsExactly(Map.entry("1-0", EntryDispatcher.RETRY_REQUESTED));

        Map<String, String> withErrors = new HashMap<>();
        withErrors.put("2-0", "adjuster lookup timed out");
        withErrors.put("3-0", null);
        exchange.setProperty(RedisStreamsConstants.BATCH_RETRY, withErrors);
        assertThat(EntryDispatcher.BatchOutcome.of(exchange).retries())
                .containsEntry("2-0", "adjuster lookup timed out")
                .containsEntry("3-0", EntryDispatcher.RETRY_REQUESTED);
    }

    @Test
    void anIdBothRetriedAndDeadLetteredCountsOnce() {
        exchange.setProperty(RedisStreamsConstants.BATCH_RETRY, List.of("1-0", "2-0"));
        exchange.setProperty(RedisStreamsConstants.BATCH_DEAD_LETTER, Map.of("2-0", "claim.version is not a number"));

        EntryDispatcher.BatchOutcome outcome = EntryDispatcher.BatchOutcome.of(exchange);

        assertThat(outcome.deadLetters()).containsExactly(Map.entry("2-0", "claim.version is not a number"));
        assertThat(outcome.size()).isEqualTo(2);
    }

    @Test
    void aPropertyOfAnotherShapeIsRefusedNamingIt() {
        exchange.setProperty(RedisStreamsConstants.BATCH_DEAD_LETTER, List.of("1-0"));
        assertThatThrownBy(() -> EntryDispatcher.BatchOutcome.of(exchange))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RedisStreamsConstants.BATCH_DEAD_LETTER).hasMessageContaining("Map<String, String>");

        exchange.removeProperty(RedisStreamsConstants.BATCH_DEAD_LETTER);
        exchange.setProperty(RedisStreamsConstants.BATCH_RETRY, List.of(1L));
        assertThatThrownBy(() -> EntryDispatcher.BatchOutcome.of(exchange))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RedisStreamsConstants.BATCH_RETRY).hasMessageContaining("java.lang.Long");
    }

    @Test
    void aRouteGivenReasonIsCutToTheErrorLengthAndABlankOneNamed() {
        assertThat(DeadLetterFields.reason(" ")).isEqualTo(DeadLetterFields.REASON_REJECTED);
        assertThat(DeadLetterFields.reason(null)).isEqualTo(DeadLetterFields.REASON_REJECTED);
        assertThat(DeadLetterFields.reason("x".repeat(10_000))).hasSize(DeadLetterFields.MAX_ERROR_LENGTH);
    }
}
