package io.claimshub.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.assignment.ProcessingFiles;
import io.claimshub.ops.OpsKeys;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Range;

/**
 * Retention after closure: with a retention of 0 days, the scheduled task erases a claimant whose claims are all
 * closed (and audits it), and leaves a claimant with a claim still open, and one never closed, alone.
 */
@Tag("redis")
class PersonalDataRetentionTest {

    @TempDir
    Path dir;

    @Test
    void theScheduledTaskErasesClaimantsWhoseClaimsAllClosedLongerAgoThanTheRetention() throws Exception {
        String stream = TestRedis.uniqueKey("events");
        ProcessingFiles files = new ProcessingFiles(dir).writeRoster(List.of(
                ProcessingFiles.adjuster("ADJ-01", "auto", "north", "SENIOR", 100)));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hub.events.stream", stream);
        settings.put("hub.ingest.enabled", "false");
        settings.put("hub.processing.roster-file", files.roster.toString());
        settings.put("hub.processing.rules-file", files.rules.toString());
        settings.put("hub.processing.sla-file", files.sla.toString());
        settings.put("hub.security.master-key", MasterKeys.newKeyBase64());
        // every closure is past a retention of 0 days; the task looks twice a second
        settings.put("hub.security.personal-data-retention-days", "0");
        settings.put("hub.security.personal-data-retention-interval", "500");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String rejected = "{\"reasonCode\":\"NOT_COVERED\",\"reasonText\":\"not covered\",\"rejectedBy\":\"ADJ-01\"}";
        try (TestHub hub = TestHub.start(settings)) {
            PrivacyHttp api = new PrivacyHttp(hub.apiBase());
            // given a claimant whose only claim is closed ...
            String closed = api.submit("Closed Claimant " + tag, "closed-" + tag + "@example.com", "+447700900801",
                    "done with", "normal");
            // ... one with a closed claim and an open one ...
            String mixedClosed = api.submit("Mixed Claimant " + tag, "mixed-" + tag + "@example.com", "+447700900802",
                    "first", "normal");
            String mixedOpen = api.submit("Mixed Claimant " + tag, "mixed-" + tag + "@example.com", "+447700900802",
                    "second", "normal");
            // ... and one whose claim is open
            String open = api.submit("Open Claimant " + tag, "open-" + tag + "@example.com", "+447700900803",
                    "still going", "normal");
            for (String claim : List.of(closed, mixedClosed, mixedOpen, open)) {
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        api.json("/api/claims/" + claim).get("status").asText().equals("assigned"));
            }
            api.push(closed, "claim.rejected", rejected);
            api.push(mixedClosed, "claim.rejected", rejected);

            // when the retention task runs, then the closed claimant's data is erased
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    api.json("/api/claims/" + closed).get("claimantName").asText().equals(PersonalData.ERASED));
            assertThat(api.json("/api/claims/" + closed).get("description").asText()).isEqualTo(PersonalData.ERASED);
            assertThat(api.json("/api/claims/" + closed).get("status").asText()).isEqualTo("rejected");
            assertThat(TestRedis.template().opsForStream().range(OpsKeys.AUDIT, Range.unbounded()))
                    .anySatisfy(entry -> {
                        assertThat(entry.getValue().get(OpsKeys.AUDIT_WHO)).isEqualTo("hub:retention");
                        assertThat(entry.getValue().get(OpsKeys.AUDIT_ACTION)).isEqualTo("erase-personal-data");
                    });
            // and, several runs later, the others are still readable
            long runsBefore = auditCount();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                    api.json("/api/claims/" + mixedClosed).get("claimantName").asText().equals("Mixed Claimant " + tag)
                    && api.json("/api/claims/" + mixedOpen).get("description").asText().equals("second")
                    && api.json("/api/claims/" + open).get("claimantName").asText().equals("Open Claimant " + tag));

            // once the mixed claimant's last claim closes, they are erased too
            api.push(mixedOpen, "claim.rejected", rejected);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    api.json("/api/claims/" + mixedOpen).get("claimantName").asText().equals(PersonalData.ERASED));
            assertThat(api.json("/api/claims/" + mixedClosed).get("claimantEmail").asText()).isEqualTo(PersonalData.ERASED);
            assertThat(api.json("/api/claims/" + open).get("claimantName").asText()).isEqualTo("Open Claimant " + tag);
            assertThat(auditCount()).isGreaterThan(runsBefore);
        } finally {
            TestRedis.template().delete(List.of(stream, stream + ":dlq"));
        }
    }

    private static long auditCount() {
        Long size = TestRedis.template().opsForStream().size(OpsKeys.AUDIT);
        return size == null ? 0 : size;
    }
}
