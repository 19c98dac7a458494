package io.claimshub.notification;

import static io.claimshub.notification.NotificationsLifecycleTest.awaitMail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Camel YAML route file in the routes folder is loaded at start and sends through the hub's building blocks. Not
 * repeated against Redis 7 in CI: it is about loading route files; the send ledger's scripts run in the tagged
 * ExactlyOnceNotificationTest and NotificationsLifecycleTest.
 */
class CustomRoutesTest {

    @TempDir
    Path dir;

    @Test
    void aRouteFileInTheRoutesFolderRunsAndSendsOnce() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("partner-copy.camel.yaml"), """
                - route:
                    id: partner-copy
                    from:
                      uri: "redis-streams:{{hub.events.stream}}?group=partner-copy"
                      steps:
                        - filter:
                            simple: "${body[eventType]} == 'claim.submitted'"
                            steps:
                              - setHeader: { name: To, constant: partner@example.com }
                              - setHeader: { name: Subject, simple: "New claim ${body[claimId]}" }
                              - setHeader: { name: ClaimId, simple: "${body[claimId]}" }
                              - setBody: { simple: "Claim ${body[claimId]} was submitted." }
                              - to: direct:send-email
                """);
        try (NotificationHub n = new NotificationHub(dir).with("hub.notifications.routes-dir", routes.toString()).start()) {
            String claim = n.submit("normal", null);
            assertThat(NotificationsLifecycleTest.body(awaitMail(n, "partner@example.com", "New claim " + claim)))
                    .contains("Claim " + claim + " was submitted.");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> n.mailTo("partner@example.com").size() == 1);
        }
    }
}
