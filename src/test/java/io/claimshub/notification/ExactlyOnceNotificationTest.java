package io.claimshub.notification;

import static io.claimshub.notification.NotificationsLifecycleTest.awaitMail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Exactly one message per (event, channel, recipient) in GreenMail: with an event delivered twice, with two hub
 * instances reading the same log and outboxes, and after a sender died between the send and its ledger record.
 */
@Tag("redis")
class ExactlyOnceNotificationTest {

    private static final String ADA = "ada@example.com";

    @TempDir
    Path dir;

    private final StringRedisTemplate redis = TestRedis.template();

    @Test
    void oneMessagePerEventChannelAndRecipient() throws Exception {
        try (NotificationHub n = new NotificationHub(dir).start()) {
            NotificationKeys keys = new NotificationKeys(n.namespace);
            String first = n.submit("normal", null);
            awaitMail(n, ADA, "We received your claim " + first);

            // the same event delivered again: the log entry appended a second time
            MapRecord<String, Object, Object> submitted = entries(n.stream).stream()
                    .filter(e -> first.equals(e.getValue().get("claimId"))).findFirst().orElseThrow();
            redis.opsForStream().add(n.stream, submitted.getValue());

            // a second hub instance on the same log and outboxes
            Map<String, String> second = new LinkedHashMap<>(n.settings());
            try (TestHub other = TestHub.start(second)) {
                List<String> claims = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    claims.add(n.submit("normal", null));
                }
                for (String claim : claims) {
                    awaitMail(n, ADA, "We received your claim " + claim);
                }

                // a sender died after the send, before its ledger record: the ledger still says "sending" and the
                // outbox entry comes round again
                String claim = claims.get(0);
                MapRecord<String, Object, Object> sent = entries(keys.outbox(Channel.EMAIL)).stream()
                        .filter(e -> claim.equals(e.getValue().get("claimId"))
                                     && "claim.submitted".equals(e.getValue().get("eventType"))).findFirst().orElseThrow();
                String ledgerId = sent.getValue().get("ledgerId").toString();
                redis.opsForHash().put(keys.ledger(claim), ledgerId, "sending|" + System.currentTimeMillis() + "|crashed");
                redis.opsForStream().add(keys.outbox(Channel.EMAIL), sent.getValue());
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        redis.opsForZSet().score(keys.unknown(), claim + " " + ledgerId) != null);
                assertThat(NotificationOutageTest.ledgerOutcomes(n, claim)).contains("unknown");

                // nothing doubled: one acknowledgement per claim, now and a little later
                List<String> all = new ArrayList<>(claims);
                all.add(first);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> all.stream()
                        .allMatch(c -> n.mailTo(ADA).stream().filter(m -> NotificationsLifecycleTest.subject(m)
                                .equals("We received your claim " + c)).count() == 1));
            }
        }
    }

    private List<MapRecord<String, Object, Object>> entries(String stream) {
        List<MapRecord<String, Object, Object>> entries = redis.opsForStream().range(stream, Range.unbounded());
        return entries == null ? List.of() : entries;
    }
}
