package io.claimshub.api;

import static io.claimshub.api.ClaimsApiClient.json;
import static io.claimshub.api.ClaimRequests.SUBMISSION;
import static io.claimshub.assignment.ProcessingFiles.adjuster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.assignment.ProcessingFiles;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Events a client may not push over REST, on the real hub: the hub's own SLA breaches, and assignments to an adjuster
 * who is not on the roster or not eligible for the claim.
 */
@Tag("redis")
class ManualAssignmentApiTest {

    private static final String STREAM = TestRedis.uniqueKey("manual-assignment-events");

    private static Path dir;
    private static TestHub hub;
    private static ClaimsApiClient api;

    @BeforeAll
    static void bootHub() throws Exception {
        dir = Files.createTempDirectory("manual-assignment");
        ProcessingFiles files = new ProcessingFiles(dir).writeRoster(List.of(
                adjuster("ADJ-01", "auto", "eu-west", "JUNIOR", 10),
                adjuster("ADJ-02", "auto", "eu-west", "JUNIOR", 10),
                adjuster("ADJ-03", "property", "eu-west", "SENIOR", 10)));
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "manual-assignment-test",
                "hub.processing.roster-file", files.roster.toString()));
        api = new ClaimsApiClient(hub.apiBase());
    }

    @AfterAll
    static void stopHub() throws Exception {
        TestHub.stop(hub, STREAM);
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void aClientCannotPushAnSlaBreachOrAssignToAnAdjusterWhoIsNotEligibleButMayReassignToOneWhoIs() throws Exception {
        // given a claim the hub assigned (ADJ-01: the tie goes to the smallest id)
        String claimId = json(api.post("/api/claims", SUBMISSION)).get("claimId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> "assigned".equals(json(api.get("/api/claims/" + claimId))
                .path("status").asText()));

        // when a client pushes an SLA breach: refused at the edge, naming the event type
        HttpResponse<String> breach = api.post("/api/claims/" + claimId + "/events", """
                {"eventType":"claim.sla.breached","data":{"adjusterId":"ADJ-EVIL",
                 "slaDeadline":"2026-03-04T09:05:00Z","breachedAt":"2026-03-04T09:06:00Z"}}""");
        assertThat(breach.statusCode()).isEqualTo(400);
        assertThat(breach.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(breach).path("errors").get(0).get("field").asText()).isEqualTo("eventType");
        assertThat(json(breach).path("errors").get(0).get("message").asText()).contains("raised by the hub");

        // when a client assigns to an adjuster who does not exist, or who does not handle auto claims: 409 with why
        HttpResponse<String> nobody = api.post("/api/claims/" + claimId + "/events", assignmentTo("ADJ-NOBODY"));
        assertThat(nobody.statusCode()).isEqualTo(409);
        assertThat(json(nobody).get("detail").asText()).isEqualTo("adjuster ADJ-NOBODY is not on the adjuster roster");
        HttpResponse<String> property = api.post("/api/claims/" + claimId + "/events", assignmentTo("ADJ-03"));
        assertThat(property.statusCode()).isEqualTo(409);
        assertThat(json(property).get("detail").asText()).contains("does not handle auto claims");
        assertThat(json(api.get("/api/claims/" + claimId)).get("version").asLong()).isEqualTo(2);

        // expect a reassignment to an eligible adjuster accepted
        HttpResponse<String> reassigned = api.post("/api/claims/" + claimId + "/events", assignmentTo("ADJ-02"));
        assertThat(reassigned.statusCode()).isEqualTo(202);
        assertThat(json(api.get("/api/claims/" + claimId)).get("assigneeId").asText()).isEqualTo("ADJ-02");
    }

    private static String assignmentTo(String adjusterId) {
        return """
                {"eventType":"claim.assigned","data":{"adjusterId":"%s","adjusterName":"Adjuster %s",
                 "assignedAt":"2026-03-02T09:05:00Z","slaDeadline":"2099-03-04T09:05:00Z"}}"""
                .formatted(adjusterId, adjusterId);
    }
}
