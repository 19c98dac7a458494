package io.claimshub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start's hub, no SMTP server, gateway or portal configured: a submitted claim's acknowledgement is written
 * as an .eml file a newcomer can open, and its status update as a line of the fallback file.
 * Not repeated against Redis 7 in CI: it is about the fallback files; the send ledger's scripts run in the tagged
 * ExactlyOnceNotificationTest and NotificationsLifecycleTest.
 */
class QuickStartMailTest {

    @TempDir
    Path dir;

    @Test
    void aSubmittedClaimsAcknowledgementIsWrittenAsAnEmlFile() throws Exception {
        String stream = TestRedis.uniqueKey("events");
        Path mail = dir.resolve("outbox/mail");
        Path status = dir.resolve("outbox/status-updates.jsonl");
        TestHub hub = TestHub.start(Map.of("hub.events.stream", stream,
                "hub.notifications.namespace", TestRedis.uniqueKey("notif"),
                "hub.mail.outbox-dir", mail.toString(),
                "hub.sms.outbox-file", dir.resolve("outbox/sms.jsonl").toString(),
                "hub.webhook.outbox-file", status.toString()));
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(hub.apiBase() + "/api/claims")).header("X-API-Key", TestHub.API_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
                             "description":"Rear-ended","amountClaimed":{"amount":1500.00,"currency":"EUR"},
                             "claimant":{"name":"Ada Lovelace","email":"ada@example.com","phone":"+447700900123"},
                             "region":"north","priority":"normal"}""")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(202);
            String claimId = answer.body().replaceAll("(?s).*\"claimId\"\\s*:\\s*\"([^\"]+)\".*", "$1");

            // the claim's acknowledgement among its .eml files (the adjuster's "assigned" mail may be written first)
            Path eml = await().atMost(Duration.ofSeconds(30)).until(() -> emlFiles(mail).stream()
                    .filter(f -> f.getFileName().toString().startsWith(claimId))
                    .filter(f -> read(f).contains("Subject: We received your claim " + claimId))
                    .findFirst().orElse(null), f -> f != null);
            String text = Files.readString(eml);
            assertThat(text).contains("Subject: We received your claim " + claimId, "To: ada@example.com",
                    "Dear Ada Lovelace", "Message-ID: <");
            // one JSON line per status update: submitted, then assigned
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(status)
                    && Files.readAllLines(status).stream().filter(l -> l.contains("\"claimId\":\"" + claimId + "\"")).count() == 2);
            assertThat(Files.readString(status)).endsWith("}\n");
        } finally {
            TestHub.stop(hub, stream);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return ""; // being written: looked at again on the next poll
        }
    }

    private static List<Path> emlFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".eml")).toList();
        }
    }
}
