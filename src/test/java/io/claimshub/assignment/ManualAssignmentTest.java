package io.claimshub.assignment;

import static io.claimshub.assignment.ProcessingFiles.adjuster;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.store.PushOutcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A claim.assigned pushed by a client (a manual assignment) through the hub's commands, with the hub's rules. */
@Tag("redis")
class ManualAssignmentTest extends ProcessorsFixtureTestSupport {

    private static JsonNode assignmentTo(String adjusterId) {
        return EventJson.parse("""
                {"adjusterId":"%s","adjusterName":"Someone","assignedAt":"2026-03-02T09:05:00Z",
                 "slaDeadline":"2099-03-04T09:05:00Z"}""".formatted(adjusterId), "data");
    }

    @Test
    void aManualAssignmentNamesAnAdjusterOfTheRosterWhoIsEligibleOrIsRefusedWithTheReason() throws Exception {
        // given adjusters who differ in claim type, region and seniority (processors not running: the claim waits)
        unstartedHubWith(
                adjuster("ADJ-01", "auto", "north", "JUNIOR", 10),
                adjuster("ADJ-02", "property", "north", "SENIOR", 10),
                adjuster("ADJ-03", "auto", "south", "SENIOR", 10),
                adjuster("ADJ-04", "auto", "north", "SENIOR", 1));
        // and an auto claim from the north above the senior threshold (25000)
        String claim = hub.submit("auto", "north", "30000.00");

        // expect each ineligible adjuster refused with the reason, nothing written
        assertThat(hub.commands.push(claim, "claim.assigned", assignmentTo("ADJ-NOBODY"), null, null))
                .isInstanceOfSatisfying(PushOutcome.Conflict.class, refused -> assertThat(refused.reason())
                        .isEqualTo("adjuster ADJ-NOBODY is not on the adjuster roster"));
        assertThat(hub.commands.push(claim, "claim.assigned", assignmentTo("ADJ-02"), null, null))
                .isInstanceOfSatisfying(PushOutcome.Conflict.class, refused -> assertThat(refused.reason())
                        .isEqualTo("adjuster ADJ-02 is not eligible for claim " + claim + ": does not handle auto claims"));
        assertThat(hub.commands.push(claim, "claim.assigned", assignmentTo("ADJ-03"), null, null))
                .isInstanceOfSatisfying(PushOutcome.Conflict.class, refused -> assertThat(refused.reason())
                        .isEqualTo("adjuster ADJ-03 is not eligible for claim " + claim + ": does not cover region north"));
        assertThat(hub.commands.push(claim, "claim.assigned", assignmentTo("ADJ-01"), null, null))
                .isInstanceOfSatisfying(PushOutcome.Conflict.class, refused -> assertThat(refused.reason())
                        .isEqualTo("adjuster ADJ-01 is not eligible for claim " + claim + ": the amount claimed 30000.00"
                                + " is above the senior threshold of 25000.00, and ADJ-01 is JUNIOR"));
        assertThat(hub.store.history(claim)).hasSize(1);

        // expect the eligible adjuster accepted, as a reassignment later
        assertThat(hub.commands.push(claim, "claim.assigned", assignmentTo("ADJ-04"), null, null))
                .isInstanceOf(PushOutcome.Accepted.class);
        assertThat(hub.assignee(claim)).hasValue("ADJ-04");
        assertThat(hub.commands.push(claim, "claim.assigned", assignmentTo("ADJ-NOBODY"), null, null))
                .isInstanceOf(PushOutcome.Conflict.class);
        assertThat(hub.assignee(claim)).hasValue("ADJ-04");
    }
}
