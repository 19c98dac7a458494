package io.claimshub.api;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.EventJson;
import io.claimshub.store.ClaimKeys;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Independent pushes without expectedVersion, sent at once over HTTP to the booted hub, are all accepted. */
@Tag("redis")
class ConcurrentPushApiTest {

    private static final String STREAM = TestRedis.uniqueKey("push-events");

    private static TestHub hub;
    private static ClaimsApiClient api;

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "push-test",
                "hub.ingest.enabled", "false",
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml")));
        api = new ClaimsApiClient(hub.apiBase());
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
    }

    @Test
    void thirtyConcurrentDocumentUploadsAreAllAccepted() throws Exception {
        // given
        String submission = EventJson.write(EventJson.toObjectNode(ClaimEventFixtures.submission()));
        String claimId = EventJson.mapper().readTree(api.post("/api/claims", submission).body()).get("claimId").asText();
        ObjectNode upload = EventJson.mapper().createObjectNode().put("eventType", "claim.document.uploaded");
        upload.set("data", EventJson.toObjectNode(ClaimEventFixtures.documentUpload()));

        // when 30 uploads are sent at once
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            uploads.add(api.postAsync("/api/claims/" + claimId + "/events", EventJson.write(upload)));
        }

        // expect every one accepted, and each in the claim's stream
        for (CompletableFuture<HttpResponse<String>> sent : uploads) {
            assertThat(sent.get().statusCode()).as(sent.get().body()).isEqualTo(202);
        }
        assertThat(TestRedis.template().opsForStream().size(ClaimKeys.claimStream(claimId))).isEqualTo(31);
    }
}
