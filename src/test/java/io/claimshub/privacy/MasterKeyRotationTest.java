package io.claimshub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.assignment.ProcessingFiles;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Master-key rotation: a hub given the new master key and the old one as previous reads everything, rewraps every
 * data key on POST /api/ops/personal-data/rotate-master-key, and after a restart with the new key alone the data is
 * still readable; a hub with the old key alone can no longer unwrap it.
 */
@Tag("redis")
class MasterKeyRotationTest {

    @TempDir
    Path dir;

    @Test
    void rotatingRewrapsEveryDataKeySoTheOldMasterKeyIsNoLongerNeeded() throws Exception {
        String oldKey = MasterKeys.newKeyBase64();
        String newKey = MasterKeys.newKeyBase64();
        String stream = TestRedis.uniqueKey("events");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String name = "Wilhelmina Rotherhithe " + tag;
        String email = "wr-" + tag + "@example.com";
        String claim;
        String pseudonym;

        // given a claim stored under the old master key
        try (TestHub hub = TestHub.start(settings(stream, Map.of("hub.security.master-key", oldKey)))) {
            PrivacyHttp api = new PrivacyHttp(hub.apiBase());
            claim = api.submit(name, email, "+447700900777", "fell off a ladder", "normal");
            assertThat(api.json("/api/claims/" + claim).get("claimantName").asText()).isEqualTo(name);
            String token = TestRedis.template().opsForHash().get(io.claimshub.store.ClaimKeys.snapshot(claim),
                    "claimantEmail").toString();
            pseudonym = PersonalDataTokens.claimantOf(token).orElseThrow();
        }
        assertThat(wrappedKeys(pseudonym)).allSatisfy(w -> assertThat(w).startsWith(idOf(oldKey) + ":"));

        // when a hub with the new key (and the old one as previous) rotates
        try (TestHub hub = TestHub.start(settings(stream, Map.of("hub.security.master-key", newKey,
                "hub.security.previous-master-key", oldKey)))) {
            PrivacyHttp api = new PrivacyHttp(hub.apiBase());
            assertThat(api.json("/api/claims/" + claim).get("claimantName").asText()).isEqualTo(name);
            HttpResponse<String> rotated = api.post("/api/ops/personal-data/rotate-master-key", "{}",
                    "X-Operator", "key-custodian");
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
            JsonNode counts = EventJson.parse(rotated.body(), "rotation");
            assertThat(counts.get("rewrapped").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(counts.get("masterKeyId").asText()).isEqualTo(idOf(newKey));
            // a second run has nothing left to do
            JsonNode again = EventJson.parse(api.post("/api/ops/personal-data/rotate-master-key", "{}").body(), "again");
            assertThat(again.get("rewrapped").asInt()).isZero();
        }
        assertThat(wrappedKeys(pseudonym)).isNotEmpty()
                .allSatisfy(w -> assertThat(w).startsWith(idOf(newKey) + ":"));

        // then a hub restarted with the new key alone reads the data, and can still encrypt new data for them
        try (TestHub hub = TestHub.start(settings(stream, Map.of("hub.security.master-key", newKey)))) {
            PrivacyHttp api = new PrivacyHttp(hub.apiBase());
            JsonNode shown = api.json("/api/claims/" + claim);
            assertThat(shown.get("claimantName").asText()).isEqualTo(name);
            assertThat(shown.get("claimantEmail").asText()).isEqualTo(email);
            String second = api.submit(name, email, "+447700900777", "fell again", "normal");
            assertThat(api.json("/api/claims/" + second).get("description").asText()).isEqualTo("fell again");
        }
        // and the old key alone opens nothing any more
        try (TestHub hub = TestHub.start(settings(stream, Map.of("hub.security.master-key", oldKey)))) {
            assertThat(new PrivacyHttp(hub.apiBase()).get("/api/claims/" + claim).statusCode()).isEqualTo(500);
        }
        TestRedis.template().delete(List.of(stream, stream + ":dlq"));
    }

    private static List<String> wrappedKeys(String pseudonym) {
        return TestRedis.template().opsForHash().entries(PersonalDataKeys.claimant(pseudonym)).entrySet().stream()
                .filter(e -> e.getKey().toString().startsWith("k:")).map(e -> e.getValue().toString()).toList();
    }

    private static String idOf(String base64) {
        return MasterKeys.idOf(Base64.getDecoder().decode(base64));
    }

    private Map<String, String> settings(String stream, Map<String, String> keys) throws Exception {
        ProcessingFiles files = new ProcessingFiles(dir).writeRoster(List.of(
                ProcessingFiles.adjuster("ADJ-01", "auto", "north", "SENIOR", 100)));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hub.events.stream", stream);
        settings.put("hub.ingest.enabled", "false");
        settings.put("hub.processing.roster-file", files.roster.toString());
        settings.put("hub.processing.rules-file", files.rules.toString());
        settings.put("hub.processing.sla-file", files.sla.toString());
        settings.putAll(keys);
        return settings;
    }
}
