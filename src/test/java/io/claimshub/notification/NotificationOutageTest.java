package io.claimshub.notification;

import static io.claimshub.notification.NotificationsLifecycleTest.awaitMail;
import static io.claimshub.notification.NotificationsLifecycleTest.sms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.claimshub.testsupport.TestRedis;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;

/**
 * Partners failing: each channel waits, retries and dead-letters on its own; nothing is lost or sent twice. Not
 * repeated against Redis 7 in CI: it is about partners failing; the send ledger's scripts run in the tagged
 * ExactlyOnceNotificationTest and NotificationsLifecycleTest.
 */
class NotificationOutageTest {

    private static final String ADA = "ada@example.com";

    @TempDir
    Path dir;

    @Test
    void anSmtpOutageDelaysOnlyEmailAndNothingIsLostOrDoubled() throws Exception {
        try (NotificationHub n = new NotificationHub(dir).with("hub.notifications.email.retries", "30").start()) {
            int port = n.smtp.getSmtp().getPort();
            n.smtp.stop();

            String claim = n.submit("urgent", null);
            // the group and the other channels go on: the text message and the status update go out meanwhile
            await().atMost(Duration.ofSeconds(30)).until(() -> sms(n, "+447700900123").size() == 1
                    && NotificationsLifecycleTest.statuses(n, claim).size() >= 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> n.hub().context() != null && ledgerOutcomes(n, claim).contains("retrying"));

            GreenMail back = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            back.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> back.getReceivedMessages().length >= 2);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                        back.getReceivedMessages().length == 2);
                assertThat(List.of(back.getReceivedMessages()).stream().map(NotificationsLifecycleTest::subject))
                        .containsExactlyInAnyOrder("We received your claim " + claim,
                                "Claim " + claim + " assigned to you (URGENT)");
            } finally {
                back.stop();
            }
        }
    }

    @Test
    void gatewayFailuresOpenTheCircuitMessagesWaitThenGoOutAndARefusalIsDeadLettered() throws Exception {
        try (NotificationHub n = new NotificationHub(dir).with("hub.notifications.sms.retries", "40").start()) {
            ResilienceProcessor breaker = breaker(n.hub().context().getRoute("notification-sms-breaker").navigate());
            assertThat(breaker).as("the SMS channel's circuit breaker").isNotNull();
            List<String> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
            breaker.getCircuitBreaker().getEventPublisher().onStateTransition(
                    event -> transitions.add(event.getStateTransition().name()));
            n.answerSms(500);
            String first = n.submit("urgent", null, "+447700900111");
            String second = n.submit("urgent", null, "+447700900222");
            awaitMail(n, ADA, "We received your claim " + second);
            await().atMost(Duration.ofSeconds(30)).until(() -> n.smsSent().size() >= 5);
            // the circuit opened (and, in this test's short open time, let a trial through again and again)
            await().atMost(Duration.ofSeconds(30)).until(() -> transitions.contains("CLOSED_TO_OPEN"));

            n.answerSms(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted(n, "+447700900111") && accepted(n, "+447700900222"));
            assertThat(ledgerOutcomes(n, first)).contains("retrying", "sent");
            assertThat(transitions).as("the circuit's state changes").contains("OPEN_TO_HALF_OPEN", "HALF_OPEN_TO_CLOSED");

            // a permanent refusal of one number (the others' messages, e.g. the adjusters', still go out): not
            // retried, dead-lettered with the reason
            n.answerSms(422, "+447700900333");
            String refused = n.submit("urgent", null, "+447700900333");
            String dlq = new NotificationKeys(n.namespace).deadLetters(Channel.SMS);
            await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters(dlq).isEmpty());
            Map<Object, Object> dead = deadLetters(dlq).get(0).getValue();
            assertThat(dead).containsEntry("dlq.reason", "refused").containsEntry("claimId", refused);
            assertThat(dead.get("dlq.error").toString()).contains("HTTP 422");
            assertThat(ledgerOutcomes(n, refused)).contains("failed").doesNotContain("retrying");
        }
    }

    @Test
    void aMessageArrivingWhileTheCircuitIsOpenWaitsAndGoesOutOnceItCloses() throws Exception {
        try (NotificationHub n = new NotificationHub(dir).with("hub.notifications.sms.retries", "40").start()) {
            ResilienceProcessor breaker = breaker(n.hub().context().getRoute("notification-sms-breaker").navigate());
            breaker.transitionToForcedOpenState(); // held open, as after a run of failures, until closed below
            String claim = n.submit("urgent", null, "+447700900555");
            awaitMail(n, ADA, "We received your claim " + claim);
            await().atMost(Duration.ofSeconds(30)).until(() -> breaker.getNumberOfNotPermittedCalls() > 0);
            assertThat(n.smsSent()).as("nothing reaches the gateway while the circuit is open").isEmpty();
            assertThat(ledgerOutcomes(n, claim, "sms")).as("the text message waits, not skipped or sent")
                    .containsOnly("queued");

            breaker.transitionToCloseState();
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted(n, "+447700900555"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    n.smsSent().stream().filter(s -> s.toString().contains("+447700900555")).count() == 1);
            assertThat(ledgerOutcomes(n, claim, "sms")).containsOnly("queued", "sent").contains("sent");
        }
    }

    // the gateway's last answer to this number was a success (every earlier one was a 500)
    private static boolean accepted(NotificationHub n, String phone) {
        return n.partners.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(NotificationHub.SMS_PATH)
                             && e.getRequest().getBodyAsString().contains(phone))
                .anyMatch(e -> e.getResponse().getStatus() == 200);
    }

    /** The circuit breaker among a route's processors (they come wrapped in channels, which navigate on). */
    static ResilienceProcessor breaker(Navigate<Processor> processors) {
        if (processors == null || !processors.hasNext()) {
            return null;
        }
        for (Processor processor : processors.next()) {
            if (processor instanceof ResilienceProcessor found) {
                return found;
            }
            if (processor instanceof Navigate<?> nested) {
                @SuppressWarnings("unchecked")
                ResilienceProcessor found = breaker((Navigate<Processor>) nested);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static List<String> ledgerOutcomes(NotificationHub n, String claimId, String channel) {
        List<MapRecord<String, Object, Object>> log = TestRedis.template().opsForStream()
                .range(new NotificationKeys(n.namespace).log(claimId), Range.unbounded());
        return log == null ? List.of() : log.stream().filter(r -> channel.equals(r.getValue().get("channel")))
                .map(r -> String.valueOf(r.getValue().get("outcome"))).toList();
    }

    static List<String> ledgerOutcomes(NotificationHub n, String claimId) {
        List<MapRecord<String, Object, Object>> log = TestRedis.template().opsForStream()
                .range(new NotificationKeys(n.namespace).log(claimId), Range.unbounded());
        return log == null ? List.of() : log.stream().map(r -> String.valueOf(r.getValue().get("outcome"))).toList();
    }

    private static List<MapRecord<String, Object, Object>> deadLetters(String key) {
        List<MapRecord<String, Object, Object>> entries = TestRedis.template().opsForStream().range(key, Range.unbounded());
        return entries == null ? List.of() : entries;
    }
}
