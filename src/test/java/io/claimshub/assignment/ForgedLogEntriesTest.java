package io.claimshub.assignment;

import static io.claimshub.assignment.ProcessingFiles.adjuster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.claim.ClaimState;
import io.claimshub.component.redisstreams.DeadLetterFields;
import io.claimshub.testsupport.TestRedis;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;

/**
 * Entries XADDed straight to the global log that reuse a real event's id and claim version: the real processors
 * route acts on nothing of them and dead-letters each with the difference.
 */
@Tag("redis")
class ForgedLogEntriesTest extends ProcessorsFixtureTestSupport {

    @Test
    void forgedCopiesOfRealEventsAreDeadLetteredWithTheDifferenceAndNotApplied() throws Exception {
        // given a claim submitted and assigned by the processors route, every entry consumed
        hubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 10));
        String claim = hub.submit("auto", "north", "1500.00");
        assignedTo(claim);
        hub.awaitLogConsumed();
        ClaimState before = hub.snapshots.read(claim).orElseThrow();
        Map<String, String> submitted = hub.globalLogEntry(0);
        Map<String, String> assigned = hub.globalLogEntry(1);

        // when a foreign producer adds: the assignment's id and version as an SLA breach of adjuster ADJ-EVIL
        Map<String, String> breach = new LinkedHashMap<>(assigned);
        breach.put("eventType", "claim.sla.breached");
        breach.put("data", "{\"adjusterId\":\"ADJ-EVIL\",\"slaDeadline\":\"2026-03-04T09:05:00Z\","
                + "\"breachedAt\":\"2026-03-04T09:06:00Z\"}");
        // the submission with its amount altered
        Map<String, String> altered = new LinkedHashMap<>(submitted);
        altered.put("data", submitted.get("data").replace("1500.00", "95000.00"));
        // and the submission copied as it is (a reused event id under another log entry id)
        Map<String, String> copy = new LinkedHashMap<>(submitted);
        String breachId = TestRedis.template().opsForStream().add(hub.globalLog, breach).getValue();
        String alteredId = TestRedis.template().opsForStream().add(hub.globalLog, altered).getValue();
        String copyId = TestRedis.template().opsForStream().add(hub.globalLog, copy).getValue();
        hub.awaitLogConsumed();

        // expect nothing of them applied: no breach listed, the snapshot as before, the claim's stream untouched
        assertThat(hub.breaches.recent(10)).isEmpty();
        assertThat(hub.snapshots.read(claim)).contains(before);
        assertThat(hub.store.history(claim)).hasSize(2);
        assertThat(hub.workloads.openClaims("ADJ-01")).isEqualTo(1);
        // and each in the dead-letter stream with the reason
        String deadLetters = hub.globalLog + ":dlq";
        await().atMost(WAIT).until(() -> TestRedis.template().opsForStream().size(deadLetters) == 3);
        Map<String, Map<Object, Object>> byEntry = new LinkedHashMap<>();
        TestRedis.template().opsForStream().range(deadLetters, Range.unbounded())
                .forEach(entry -> byEntry.put(entry.getValue().get(DeadLetterFields.ENTRY_ID).toString(), entry.getValue()));
        assertThat(byEntry.get(breachId).get(DeadLetterFields.ERROR).toString())
                .contains("log entry " + breachId + " differs from the claim stream's event at version 2: eventType, data");
        assertThat(byEntry.get(breachId)).containsEntry("eventType", "claim.sla.breached");
        assertThat(byEntry.get(alteredId).get(DeadLetterFields.ERROR).toString())
                .contains("log entry " + alteredId + " differs from the claim stream's event at version 1: data");
        assertThat(byEntry.get(copyId).get(DeadLetterFields.ERROR).toString())
                .contains("log entry " + copyId + " is not the claim stream's event at version 1, which was logged as entry "
                        + hub.globalLogEntryId(0));
    }

    @Test
    void aForgedEntryWithTheIdsOfThisInstancesOwnAssignmentIsNotAcknowledgedAsApplied() throws Exception {
        // given a claim this instance assigned and applied in full (its entry would be acknowledged without a step)
        unstartedHubWith(adjuster("ADJ-01", "auto", "north", "JUNIOR", 10));
        String claim = hub.submit("auto", "north", "1500.00");
        ClaimAssignment assignment = hub.newAssignment();
        assertThat(assignment.assign(claim)).isEqualTo(ClaimAssignment.Outcome.ASSIGNED);

        // when a forged entry with the assignment's claim, version and event id comes round first
        Map<String, String> forged = new LinkedHashMap<>(hub.globalLogEntry(1));
        forged.put("data", forged.get("data").replace("ADJ-01", "ADJ-EVIL"));
        String forgedId = TestRedis.template().opsForStream().add(hub.globalLog, forged).getValue();

        // expect it to go through the steps (which dead-letter it), not to be acknowledged as this instance's own
        assertThat(assignment.isOutstanding(forged, forgedId)).isTrue();
    }
}
