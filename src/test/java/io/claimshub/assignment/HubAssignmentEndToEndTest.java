package io.claimshub.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.HubApplication;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.EventJson;
import io.claimshub.store.ClaimSnapshots;
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
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.claimshub.testsupport.TestHub;

/**
 * The whole hub booted as a Camel Main application (camel-test-main-junit5, with the hub's main class and
 * application.properties): a claim POSTed to the REST API is assigned by the processors.
 */
@Tag("redis")
class HubAssignmentEndToEndTest extends CamelMainTestSupport {

    /** Static, so that the roster is written before the test instance configures the hub with its path. */
    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected Class<?> getMainClass() {
        return HubApplication.class;
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        ProcessingFiles files = new ProcessingFiles(dir).writeRoster(List.of(
                ProcessingFiles.adjuster("ADJ-01", "auto", "north", "SENIOR", 10)));
        // over application.properties: the test Redis, free ports, and a log, namespace and roster of this test's own
        Properties settings = new Properties();
        settings.setProperty("camel.server.port", Integer.toString(TestRedis.freePort()));
        settings.setProperty("camel.management.port", Integer.toString(TestRedis.freePort()));
        // the package scan also sees the test classpath; its route builders belong to other tests
        settings.setProperty("camel.main.java-routes-exclude-pattern", "**/*Test*");
        settings.setProperty("hub.redis.url", TestRedis.url());
        settings.setProperty("hub.processing.namespace", TestRedis.uniqueKey("hub"));
        settings.setProperty("hub.events.stream", TestRedis.uniqueKey("events"));
        settings.setProperty("hub.consumer.block", "200");
        settings.setProperty("hub.processing.roster-file", files.roster.toString());
        settings.setProperty("hub.processing.rules-file", files.rules.toString());
        settings.setProperty("hub.processing.sla-file", files.sla.toString());
        configuration.withUseOverridePropertiesWithPropertiesComponent(settings);
    }

    @Test
    void aClaimPostedToTheApiIsAssignedWithItsDeadline() throws Exception {
        String api = "http://127.0.0.1:" + context.resolvePropertyPlaceholders("{{camel.server.port}}");
        ClaimSnapshots snapshots = context.getRegistry().lookupByNameAndType("claimSnapshots", ClaimSnapshots.class);

        // given a normal auto claim from the north, submitted through the REST API
        Instant before = Instant.now();
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(api + "/api/claims")).header("X-API-Key", TestHub.API_KEY)
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
        JsonNode claim = EventJson.parse(http.send(HttpRequest.newBuilder(URI.create(api + "/api/claims/" + claimId)).header("X-API-Key", TestHub.API_KEY).build(),
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
