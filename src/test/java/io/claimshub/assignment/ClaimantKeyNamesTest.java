package io.claimshub.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

/** Claimants' personal data is in no Redis key name; their history (the repeat-claimant count) still works. */
@Tag("redis")
class ClaimantKeyNamesTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void noKeyNamesTheClaimantAndTheirSubmissionsAreCountedUnderOneKey() throws Exception {
        // given a claimant of this test alone, whose name, e-mail and phone can be looked for in every key
        String unique = UUID.randomUUID().toString().replace("-", "");
        String name = "Ada " + letters(12);
        String email = "Ada." + unique + "@Example.com";
        String phone = "+4477" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
        String namespace = TestRedis.uniqueKey("hub");
        ProcessingFiles files = new ProcessingFiles(dir).writeRoster(List.of(
                ProcessingFiles.adjuster("ADJ-01", "auto", "north", "SENIOR", 10)));
        try (TestHub hub = TestHub.start(Map.of(
                "hub.processing.namespace", namespace,
                "hub.events.stream", TestRedis.uniqueKey("events"),
                "hub.consumer.block", "200",
                "hub.ingest.enabled", "false",
                "hub.processing.roster-file", files.roster.toString(),
                "hub.processing.rules-file", files.rules.toString(),
                "hub.processing.sla-file", files.sla.toString()))) {

            // when they submit two claims, the second with their e-mail in another case, and both are assigned
            List<String> claims = List.of(submit(hub, name, email, phone),
                    submit(hub, name, email.toLowerCase(Locale.ROOT), phone));
            for (String claimId : claims) {
                await().atMost(Duration.ofSeconds(20)).until(() -> status(hub, claimId).equals("assigned"));
            }

            // expect no key anywhere in Redis to carry the claimant's name, e-mail or phone
            List<String> keys = allKeys("*");
            assertThat(keys).isNotEmpty();
            assertThat(keys).noneSatisfy(key -> assertThat(key.toLowerCase(Locale.ROOT)).containsAnyOf(
                    email.toLowerCase(Locale.ROOT), unique, name.toLowerCase(Locale.ROOT), phone, phone.substring(1)));
            // and both submissions counted under one claimant history key
            List<String> histories = allKeys(namespace + ":claimant:*");
            assertThat(histories).hasSize(1);
            assertThat(TestRedis.template().opsForZSet().range(histories.get(0), 0, -1))
                    .containsExactlyInAnyOrderElementsOf(claims);
        }
    }

    private static List<String> allKeys(String pattern) {
        List<String> keys = new ArrayList<>();
        try (Cursor<String> cursor = TestRedis.template().scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
            cursor.forEachRemaining(keys::add);
        }
        return keys;
    }

    private String submit(TestHub hub, String name, String email, String phone) throws Exception {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + "/api/claims")).header("X-API-Key", TestHub.API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
                         "description":"Rear-ended at a traffic light","amountClaimed":{"amount":1500.00,"currency":"EUR"},
                         "claimant":{"name":"%s","email":"%s","phone":"%s"},
                         "region":"north","priority":"normal"}""".formatted(name, email, phone)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        return EventJson.parse(posted.body(), "body").get("claimId").asText();
    }

    private String status(TestHub hub, String claimId) throws Exception {
        HttpResponse<String> claim = http.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + "/api/claims/" + claimId)).header("X-API-Key", TestHub.API_KEY)
                .build(), HttpResponse.BodyHandlers.ofString());
        return claim.statusCode() == 200 ? EventJson.parse(claim.body(), "body").path("status").asText() : "";
    }

    private static String letters(int count) {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < count; i++) {
            letters.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return letters.toString();
    }
}
