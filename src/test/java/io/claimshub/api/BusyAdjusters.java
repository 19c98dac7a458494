package io.claimshub.api;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import io.claimshub.testsupport.TestHub;

/**
 * Fills every adjuster of {@code rosters/busy-adjusters.yaml} (one open claim each) through the hub's own assignment,
 * so that the claims a test submits afterwards wait unassigned and carry only the events the test writes.
 */
final class BusyAdjusters {

    static final String ROSTER = "/rosters/busy-adjusters.yaml";
    private static final int ADJUSTERS = 6;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BusyAdjusters() {
    }

    /**
     * Submits claims one at a time until every adjuster holds one (two consumer threads may both give a claim to the
     * same adjuster, so one per adjuster is not always enough).
     */
    static void fill(String apiBase, String submission) throws Exception {
        Set<String> busy = new HashSet<>();
        for (int attempt = 0; busy.size() < ADJUSTERS; attempt++) {
            if (attempt == 3 * ADJUSTERS) {
                throw new IllegalStateException("adjusters still free after " + attempt + " claims: only " + busy);
            }
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(apiBase + "/api/claims")).header("X-API-Key", TestHub.API_KEY)
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(submission)).build(), HttpResponse.BodyHandlers.ofString());
            String claim = EventJson.parse(response.body(), "response").get("claimId").asText();
            JsonNode assigned = await().atMost(Duration.ofSeconds(20)).until(() -> EventJson.parse(HTTP.send(
                    HttpRequest.newBuilder(URI.create(apiBase + "/api/claims/" + claim)).header("X-API-Key", TestHub.API_KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body(), "response"),
                    state -> "assigned".equals(state.path("status").asText()));
            busy.add(assigned.get("assigneeId").asText());
        }
    }
}
