package io.claimshub.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.notification.NotificationHub;
import io.claimshub.ops.OpsKeys;
import io.claimshub.store.ClaimKeys;
import io.claimshub.testsupport.TestRedis;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;

/**
 * Right to erasure by crypto-shredding: after DELETE /api/claimants/{id}/personal-data, the API, the snapshot, the
 * history and a rebuilt read model show the claimant's fields as erased, no message goes to them any more, the
 * erasure is in ops:audit, and the analytics and the claim's history are untouched; another claimant is unaffected.
 */
@Tag("redis")
class PersonalDataErasureTest {

    @TempDir
    Path dir;

    @Test
    void erasingAClaimantShredsTheirDataEverywhereAndStopsTheirNotificationsButKeepsHistoryAndAnalytics()
            throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String erasedName = "Ottoline Gravesend " + tag;
        String erasedEmail = "og-" + tag + "@example.com";
        String keptName = "Percival Amberley " + tag;
        String keptEmail = "pa-" + tag + "@example.com";
        try (NotificationHub n = new NotificationHub(dir).with("hub.security.master-key", MasterKeys.newKeyBase64())
                .start()) {
            PrivacyHttp api = new PrivacyHttp(n.hub().apiBase());
            String erased = api.submit(erasedName, erasedEmail, "+447700900555", erasedName + " slid on ice", "normal");
            String kept = api.submit(keptName, keptEmail, "+447700900556", keptName + " hit a post", "normal");
            await().atMost(Duration.ofSeconds(30)).until(() -> !n.mailTo(erasedEmail).isEmpty()
                    && !n.mailTo(keptEmail).isEmpty());
            for (String claim : List.of(erased, kept)) {
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        api.json("/api/claims/" + claim).get("status").asText().equals("assigned"));
            }
            api.push(erased, "claim.investigated", "{\"investigatorId\":\"INV-1\",\"outcome\":\"cleared\",\"notes\":\""
                    + erasedName + " was honest\"}");
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            // the analytics settled: the same twice in a row
            AtomicReference<String> seen = new AtomicReference<>("");
            await().pollInterval(Duration.ofMillis(700)).atMost(Duration.ofSeconds(30))
                    .until(() -> { String now = analytics(api, today); return now.equals(seen.getAndSet(now)); });
            JsonNode eventsBefore = api.json("/api/claims/" + erased + "/events");
            assertThat(eventsBefore.toString()).contains(erasedName + " was honest");
            String analyticsBefore = analytics(api, today);

            // when the claimant's personal data is erased, named by one of their claims
            HttpResponse<String> answer = api.delete("/api/claimants/" + erased + "/personal-data?reason=gdpr-art-17",
                    "X-Operator", "dpo@insurer.example");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode erasure = EventJson.parse(answer.body(), "answer");
            assertThat(erasure.get("keysDestroyed").asInt()).isEqualTo(1);
            String claimantId = erasure.get("claimantId").asText();
            assertThat(claimantId).matches("[A-Za-z0-9_-]{22}");

            // then every read shows the fields erased ...
            JsonNode claim = api.json("/api/claims/" + erased);
            for (String field : List.of("claimantName", "claimantEmail", "claimantPhone", "description")) {
                assertThat(claim.get(field).asText()).as(field).isEqualTo(PersonalData.ERASED);
            }
            assertThat(claim.get("status").asText()).isEqualTo("assigned");
            // ... the history keeps every event, their personal fields erased
            JsonNode eventsAfter = api.json("/api/claims/" + erased + "/events");
            assertThat(eventsAfter.get("events").size()).isEqualTo(eventsBefore.get("events").size());
            assertThat(eventsAfter.toString()).doesNotContain(erasedName).doesNotContain(erasedEmail)
                    .contains(PersonalData.ERASED, "INV-1", "cleared");
            // ... the snapshot hash still holds only ciphertext, unreadable now
            Map<Object, Object> snapshot = TestRedis.template().opsForHash().entries(ClaimKeys.snapshot(erased));
            assertThat(snapshot.get("claimantEmail").toString()).startsWith("pd1:");
            // ... and so does a read model rebuilt from the log
            HttpResponse<String> rebuilt = api.post("/api/ops/snapshots/rebuild", "{\"claimId\":\"" + erased + "\"}",
                    "X-Operator", "ops-test");
            assertThat(rebuilt.statusCode()).as(rebuilt.body()).isEqualTo(200);
            assertThat(api.json("/api/claims/" + erased).get("claimantName").asText()).isEqualTo(PersonalData.ERASED);
            // the analytics are the same
            assertThat(analytics(api, today)).isEqualTo(analyticsBefore);
            // the erasure is in the operations audit stream
            List<MapRecord<String, Object, Object>> audit = TestRedis.template().opsForStream()
                    .range(OpsKeys.AUDIT, Range.unbounded());
            assertThat(audit).anySatisfy(entry -> {
                assertThat(entry.getValue().get(OpsKeys.AUDIT_ACTION)).isEqualTo("erase-personal-data");
                assertThat(entry.getValue().get(OpsKeys.AUDIT_TARGET)).isEqualTo("claimant:" + claimantId);
                assertThat(entry.getValue().get(OpsKeys.AUDIT_WHO)).isEqualTo("dpo@insurer.example");
                assertThat(entry.getValue().get(OpsKeys.AUDIT_REASON)).isEqualTo("gdpr-art-17");
            });

            // the other claimant is untouched
            assertThat(api.json("/api/claims/" + kept).get("claimantName").asText()).isEqualTo(keptName);

            // no notification reaches the erased claimant any more; the other one still gets theirs
            int mailsBefore = n.mailTo(erasedEmail).size();
            api.push(erased, "claim.rejected", "{\"reasonCode\":\"NOT_COVERED\",\"reasonText\":\"no cover\",\"rejectedBy\":\"ADJ-01\"}");
            api.push(kept, "claim.rejected", "{\"reasonCode\":\"NOT_COVERED\",\"reasonText\":\"no cover\",\"rejectedBy\":\"ADJ-01\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> n.mailTo(keptEmail).stream()
                    .anyMatch(m -> subjectOf(m).contains("not approved")));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> n.mailTo(erasedEmail).size() == mailsBefore);
            assertThat(api.get("/api/claims/" + erased + "/notifications").body()).contains("erased");
            // personal data sent after the erasure is not kept either
            assertThat(api.json("/api/claims/" + erased).get("rejectionReasonText").asText()).isEqualTo(PersonalData.ERASED);

            // erasing again destroys nothing more; an unknown claimant is a 404, a bad id a 400
            HttpResponse<String> again = api.delete("/api/claimants/" + claimantId + "/personal-data");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(EventJson.parse(again.body(), "again").get("keysDestroyed").asInt()).isZero();
            assertThat(api.delete("/api/claimants/AAAAAAAAAAAAAAAAAAAAAA/personal-data").statusCode()).isEqualTo(404);
            assertThat(api.delete("/api/claimants/not-a-claimant/personal-data").statusCode()).isEqualTo(400);

            // the same person claiming again gets a new key: the new claim is readable, the old one stays erased
            String later = api.submit(erasedName, erasedEmail, "+447700900555", "a new claim", "normal");
            assertThat(api.json("/api/claims/" + later).get("claimantName").asText()).isEqualTo(erasedName);
            assertThat(api.json("/api/claims/" + erased).get("claimantName").asText()).isEqualTo(PersonalData.ERASED);
        }
    }

    private static String analytics(PrivacyHttp api, String day) throws Exception {
        return api.json("/api/analytics/daily/" + day).toString() + api.json("/api/analytics/processing-times/" + day);
    }

    private static String subjectOf(jakarta.mail.internet.MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
