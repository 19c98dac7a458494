package io.claimshub.assignment;

import static io.claimshub.assignment.ProcessingFiles.adjuster;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.EventJson;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.event.Money;
import io.claimshub.sla.SlaScheduler;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimKeys;
import io.claimshub.store.EventChain;
import io.claimshub.store.PushOutcome;
import io.claimshub.store.SubmitOutcome;
import io.claimshub.testsupport.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;

/**
 * Every writer of claim events (the paths of {@code SnapshotsWrittenByEveryWriterTest}, plus the file ingress's
 * {@code submitRemembered}) links each event into its claim's hash chain: after each write the whole chain verifies,
 * every entry carries {@value EventChain#FIELD} as its last field, and the global log's copy carries the same.
 */
@Tag("redis")
class ChainWrittenByEveryWriterTest extends ProcessorsFixtureTestSupport {

    private static final Money CLAIMED = Money.of("1500.00", "EUR");

    @Test
    void everyWriterExtendsTheClaimsHashChain() {
        unstartedHubWith(adjuster("ADJ-01", "auto", "north, eu-west", "SENIOR", 100));
        ClaimAssignment assignment = hub.newAssignment();

        // one at a time (REST), assigned by the processors' step, breached by the SLA scheduler, then pushed events
        String claim = hub.submit("auto", "north", "1500.00");
        assertChained(claim, 1);
        assertThat(assignment.assign(claim)).isEqualTo(ClaimAssignment.Outcome.ASSIGNED);
        assertChained(claim, 2);
        SlaScheduler scheduler = new SlaScheduler(hub.store, hub.breaches, TestRedis.connectionFactory(), hub.keys,
                Duration.ofSeconds(60), Clock.fixed(Instant.now().plus(Duration.ofDays(365)), ZoneOffset.UTC));
        assertThat(scheduler.checkDue()).isEqualTo(1);
        assertChained(claim, 3);
        push(claim, "claim.document.uploaded", data(ClaimEventFixtures.documentUpload()));
        assertChained(claim, 4);
        push(claim, "claim.investigated", data(ClaimEventFixtures.investigation(InvestigationOutcome.CLEARED)));
        assertChained(claim, 5);
        // the policy adapter's recording step (approval waits for its check)
        io.claimshub.testsupport.PolicyCheckFeed.recordCovering(hub.store, claim);
        assertChained(claim, 6);
        push(claim, "claim.approved", EventJson.parse(
                "{\"approvedAmount\":{\"amount\":1500.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-01\"}", "data"));
        assertChained(claim, 7);
        push(claim, "claim.payment.initiated", data(ClaimEventFixtures.paymentInitiation(CLAIMED)));
        push(claim, "claim.payment.completed", data(ClaimEventFixtures.paymentCompletion(ClaimEventFixtures.PAYMENT_ID)));
        assertChained(claim, 9);

        // a batch (reserve and append, pipelined), then events pushed onto one of its claims
        String run = UUID.randomUUID().toString();
        List<SubmitOutcome> batch = hub.commands.submitAll(List.of(
                new ClaimCommands.KeyedSubmission(data(ClaimEventFixtures.submission()), "first-" + run, null),
                new ClaimCommands.KeyedSubmission(data(ClaimEventFixtures.submission()), "second-" + run, null)));
        List<String> batched = batch.stream().map(outcome -> ((SubmitOutcome.Accepted) outcome).claimId()).toList();
        batched.forEach(id -> assertChained(id, 1));
        push(batched.get(0), "claim.assigned", data(ClaimEventFixtures.assignment("ADJ-01", "Adjuster ADJ-01")));
        assertChained(batched.get(0), 2);

        // the file ingress's chunks (submit-remembered.lua), then an event pushed onto one of them
        List<SubmitOutcome> remembered = hub.commands.submitRemembered(List.of(
                        new ClaimCommands.KeyedSubmission(data(ClaimEventFixtures.submission()), "third-" + run, null),
                        new ClaimCommands.KeyedSubmission(data(ClaimEventFixtures.submission()), "fourth-" + run, null)),
                List.of("remembered:{third-" + run + "}", "remembered:{fourth-" + run + "}"), Duration.ofMinutes(5));
        List<String> ingested = remembered.stream().map(outcome -> ((SubmitOutcome.Accepted) outcome).claimId()).toList();
        ingested.forEach(id -> assertChained(id, 1));
        push(ingested.get(1), "claim.assigned", data(ClaimEventFixtures.assignment("ADJ-01", "Adjuster ADJ-01")));
        push(ingested.get(1), "claim.rejected", EventJson.parse("{\"reasonCode\":\"POLICY_EXCLUSION\","
                + "\"reasonText\":\"Racing is not covered\",\"rejectedBy\":\"ADJ-01\"}", "data"));
        assertChained(ingested.get(1), 3);
    }

    private void push(String claimId, String eventType, JsonNode data) {
        assertThat(hub.commands.push(claimId, eventType, data, null, null)).isInstanceOf(PushOutcome.Accepted.class);
    }

    private static JsonNode data(ClaimEventData data) {
        return EventJson.toObjectNode(data);
    }

    private void assertChained(String claimId, int events) {
        EventChain.Verification verification = hub.store.verifyChain(claimId).orElseThrow();
        assertThat(verification.valid()).as("the chain of %s: %s", claimId, verification).isTrue();
        assertThat(verification.events()).isEqualTo(events);
        assertThat(verification.unchainedBefore()).isZero();
        List<EventChain.RawEntry> entries = hub.store.rawEntries(claimId);
        EventChain.RawEntry last = entries.get(entries.size() - 1);
        assertThat(last.fields().get(last.fields().size() - 1).getKey()).isEqualTo(EventChain.FIELD);
        assertThat(last.fields().get(last.fields().size() - 1).getValue()).isEqualTo(verification.head()).hasSize(40);
        // the global log's copy is the same entry, link included
        String recorded = (String) TestRedis.template().opsForHash().get(ClaimKeys.eventIds(claimId),
                last.fields().stream().filter(f -> f.getKey().equals("eventId")).findFirst().orElseThrow().getValue());
        String globalEntryId = recorded.split(" ")[1];
        List<MapRecord<String, Object, Object>> copy = TestRedis.template().opsForStream()
                .range(hub.globalLog, org.springframework.data.domain.Range.closed(globalEntryId, globalEntryId));
        assertThat(copy).hasSize(1);
        assertThat(copy.get(0).getValue()).containsEntry(EventChain.FIELD, verification.head());
        assertThat(Map.copyOf(copy.get(0).getValue())).hasSize(last.fields().size());
    }
}
