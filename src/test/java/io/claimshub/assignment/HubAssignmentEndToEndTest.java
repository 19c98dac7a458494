package io.claimshub.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.EventJson;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole hub booted with Camel Main: a claim POSTed to the REST API is assigned by the processors. */
@Tag("redis")
class HubAssignmentEndToEndTest {

    @TempDir
    Path dir;

    private TestHub hub;
    private CamelContext context;
    private String api;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void boot() throws Exception {
        ProcessingFiles files = new ProcessingFiles(dir).writeRoster(List.of(
                ProcessingFiles.adjuster("ADJ-01", "auto", "north", "SENIOR", 10)));
        hub = TestHub.start(Map.of(
                "hub.events.stream", TestRedis.uniqueKey("events"),
                "hub.consumer.block", "200",
                "hub.processing.roster-file", files.roster.toString(),
                "hub.processing.rules-file", files.rules.toString(),
                "hub.processing.sla-file", files.sla.toString()));
        context = hub.context();
        api = hub.apiBase();
    }

    @AfterEach
    void shutDown() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aClaimPostedToTheApiIsAssignedWithItsDeadline() throws Exception {
        ClaimSnapshots snapshots = context.getRegistry().lookupByNameAndType("claimSnapshots", ClaimSnapshots.class);

        // given a normal auto claim from the north, submitted through the REST API
        Instant before = Instant.now();
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(api + "/api/claims"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
                         "description":"Rear-ended at a traffic light","amountClaimed":{"amount":1500.00,"currency":"EUR"},
                         "claimant":{"name":"Ada Lovelace","email":"ada@example.com","phone":"+447700900123"},
                         "region":"north","priority":"normal"}""")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(202);
        String claimId = EventJson.parse(posted.body(), "body").get("claimId").asText();

        // expect the processors to assign it to the only eligible adjuster, with the auto/normal deadline (72 hours)
        ClaimState state = await().atMost(Duration.ofSeconds(30)).until(
                () -> snapshots.read(claimId), s -> s.map(ClaimState::status).equals(Optional.of(ClaimStatus.ASSIGNED)))
                .orElseThrow();
        assertThat(state.assigneeId()).isEqualTo("ADJ-01");
        assertThat(state.assigneeName()).isEqualTo("Adjuster ADJ-01");
        assertThat(Duration.between(state.assignedAt(), state.slaDeadline())).isEqualTo(Duration.ofHours(72));
        assertThat(state.assignedAt()).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(state.investigationRequired()).isFalse();

        // and GET /api/claims/{id} shows the assignee and the deadline
        JsonNode claim = EventJson.parse(http.send(HttpRequest.newBuilder(URI.create(api + "/api/claims/" + claimId)).build(),
                HttpResponse.BodyHandlers.ofString()).body(), "body");
        assertThat(claim.get("status").asText()).isEqualTo("assigned");
        assertThat(claim.get("assigneeId").asText()).isEqualTo("ADJ-01");
        assertThat(Instant.parse(claim.get("slaDeadline").asText())).isEqualTo(state.slaDeadline());
        assertThat(claim.get("slaRemainingSeconds").asLong()).isBetween(71 * 3600L, 72 * 3600L);

        // and the unassigned queue is a metric of the hub
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        assertThat(meters.find("claimshub.claims.unassigned").gauge()).isNotNull();
        assertThat(meters.find("claimshub.claims.unassigned").gauge().value()).isZero();
    }
}
