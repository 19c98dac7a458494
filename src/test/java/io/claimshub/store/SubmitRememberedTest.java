package io.claimshub.store;

import static io.claimshub.event.ClaimEventFixtures.submission;
import static io.claimshub.store.StoreFixtures.T0;
import static io.claimshub.store.StoreFixtures.length;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventValidator;
import io.claimshub.event.FieldError;
import io.claimshub.testsupport.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/** {@link ClaimCommands#submitRemembered}: a bulk ingress's submissions, each stored, recorded and remembered at once. */
@Tag("redis")
class SubmitRememberedTest {

    private static final Duration REMEMBER = Duration.ofDays(30);

    private final StringRedisTemplate redis = TestRedis.template();
    private final String globalLog = StoreFixtures.newGlobalLog();
    private final ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), globalLog);
    private final ClaimCommands commands = new ClaimCommands(store, new ClaimLifecycle(), new EventValidator(),
            TestRedis.connectionFactory(), Clock.fixed(T0, ZoneOffset.UTC));
    private final String run = UUID.randomUUID().toString();

    @AfterEach
    void dropLog() {
        redis.delete(globalLog);
    }

    private static ObjectNode data(String policyNumber) {
        ObjectNode data = (ObjectNode) EventJson.toObjectNode(submission());
        data.put("policyNumber", policyNumber);
        return data;
    }

    private ClaimCommands.KeyedSubmission keyed(ObjectNode data, String key) {
        return new ClaimCommands.KeyedSubmission(data, key + "-" + run, null);
    }

    private String remembered(String key) {
        return "remembered:{" + key + "-" + run + "}";
    }

    private List<SubmitOutcome> submit(ClaimCommands.KeyedSubmission... submissions) {
        return commands.submitRemembered(List.of(submissions), List.of(submissions).stream()
                .map(s -> remembered(s.idempotencyKey().substring(0, s.idempotencyKey().length() - run.length() - 1)))
                .toList(), REMEMBER);
    }

    @Test
    void aNewSubmissionIsAppendedAsTheAppendScriptWouldWithItsSnapshotRecordAndRememberedClaim() {
        SubmitOutcome.Accepted opened = (SubmitOutcome.Accepted) submit(keyed(data("POL-100001"), "new")).get(0);

        List<Map.Entry<String, Map<String, String>>> entries = StoreFixtures.entries(ClaimKeys.claimStream(opened.claimId()));
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.getValue()).containsEntry("claimVersion", "1").containsEntry("claimId", opened.claimId())
                    .containsEntry("eventId", opened.eventId().toString());
            assertThat(redis.opsForHash().get(ClaimKeys.eventIds(opened.claimId()), opened.eventId().toString()))
                    .asString().startsWith("1 ").endsWith(" " + entry.getKey());
            assertThat(redis.<String, String>opsForHash().entries(ClaimKeys.snapshot(opened.claimId())))
                    .containsEntry("status", "submitted").containsEntry("version", "1")
                    .containsEntry(ClaimSnapshots.STREAM_ENTRY_ID, entry.getKey());
        });
        assertThat(store.replay(opened.claimId()).orElseThrow().policyNumber()).isEqualTo("POL-100001");
        assertThat(length(globalLog)).isEqualTo(1);
        assertThat(redis.opsForValue().get(remembered("new"))).isEqualTo(opened.claimId());
        assertThat(redis.getExpire(remembered("new"))).isBetween(REMEMBER.toSeconds() - 60, REMEMBER.toSeconds());
    }

    @Test
    void aBatchIsAnsweredInOrderAsOneByOneAndATwinFindsTheEarlierOnesClaim() {
        ObjectNode invalid = data("POL-100002");
        ((ObjectNode) invalid.get("claimant")).put("email", "not-an-email");
        SubmitOutcome.Accepted before = (SubmitOutcome.Accepted) submit(keyed(data("POL-100003"), "done")).get(0);

        List<SubmitOutcome> outcomes = submit(
                keyed(data("POL-100004"), "new"),
                keyed(invalid, "invalid"),
                keyed(data("POL-100003"), "done"),
                keyed(data("POL-999999"), "done"),
                keyed(data("POL-100004"), "new"));

        SubmitOutcome.Accepted opened = (SubmitOutcome.Accepted) outcomes.get(0);
        assertThat(((SubmitOutcome.Invalid) outcomes.get(1)).errors()).extracting(FieldError::field)
                .containsExactly("data.claimant.email");
        // remembered: the claim, its event id not kept
        assertThat(outcomes.get(2)).isEqualTo(new SubmitOutcome.Accepted(before.claimId(), null, 1));
        // the same key with another payload is one remembered already: the claim it opened answers
        assertThat(((SubmitOutcome.Accepted) outcomes.get(3)).claimId()).isEqualTo(before.claimId());
        assertThat(((SubmitOutcome.Accepted) outcomes.get(4)).claimId()).isEqualTo(opened.claimId());
        assertThat(length(globalLog)).isEqualTo(2);
        assertThat(redis.hasKey(remembered("invalid"))).isFalse();
    }

    @Test
    void aSubmissionWhoseRememberedKeyIsGoneIsAnsweredByItsRecordAndRememberedAgain() {
        SubmitOutcome.Accepted opened = (SubmitOutcome.Accepted) submit(keyed(data("POL-100005"), "lost")).get(0);
        redis.delete(remembered("lost"));

        // another payload under the key first: the record names other content, so it is neither taken nor remembered
        List<SubmitOutcome> again = submit(keyed(data("POL-999998"), "lost"), keyed(data("POL-100005"), "lost"));

        assertThat(again.get(0)).isInstanceOf(SubmitOutcome.KeyReused.class);
        assertThat(again.get(1)).isEqualTo(opened);
        assertThat(length(globalLog)).isEqualTo(1);
        assertThat(redis.opsForValue().get(remembered("lost"))).isEqualTo(opened.claimId());
    }

    @Test
    void aSubmissionWhoseRecordIsGoneIsAnsweredByItsRememberedKey() {
        SubmitOutcome.Accepted opened = (SubmitOutcome.Accepted) submit(keyed(data("POL-100006"), "aged")).get(0);
        // what the store's idempotency window does to the record; the claim is remembered for longer
        String recordId = ClaimKeys.idempotencyRecordId("aged-" + run);
        long day = T0.getEpochSecond() / 86_400;
        redis.opsForHash().delete(ClaimKeys.bulkIdempotencyBucket(recordId, day), recordId);
        assertThat(redis.opsForHash().entries(ClaimKeys.bulkIdempotencyBucket(recordId, day))).doesNotContainKey(recordId);

        assertThat(submit(keyed(data("POL-100006"), "aged")).get(0))
                .isEqualTo(new SubmitOutcome.Accepted(opened.claimId(), null, 1));
        assertThat(length(globalLog)).isEqualTo(1);
    }

    @Test
    void aRecordIsLookedUpInTwoDayBucketsAndItsBucketLivesTheWindowAfterItsDay() {
        submit(keyed(data("POL-100007"), "bucket"));

        String recordId = ClaimKeys.idempotencyRecordId("bucket-" + run);
        String bucket = ClaimKeys.bulkIdempotencyBucket(recordId, T0.getEpochSecond() / 86_400);
        assertThat(redis.opsForHash().get(bucket, recordId)).asString().startsWith("D").hasSize(IdempotencyRecord.DONE_LENGTH);
        long untilDayEnds = 86_400 - T0.getEpochSecond() % 86_400;
        assertThat(redis.getExpire(bucket)).isBetween(untilDayEnds + ClaimCommands.IDEMPOTENCY_WINDOW.toSeconds() - 60,
                untilDayEnds + ClaimCommands.IDEMPOTENCY_WINDOW.toSeconds());
    }

    @Test
    void aHubDyingMidChunkLeavesEachLineStoredOnceOrNotAtAllAndTheChunkAgainStoresTheRestOnce() {
        int lines = 350;
        List<ClaimCommands.KeyedSubmission> chunk = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        IntStream.range(0, lines).forEach(i -> {
            chunk.add(keyed(data("POL-2" + String.format("%05d", i)), "crash-" + i));
            keys.add(remembered("crash-" + i));
        });

        // the hub stops part-way through preparing the 350-line chunk, once whole script calls of it were sent
        List<String> dyingKeys = new java.util.AbstractList<>() {
            @Override
            public String get(int index) {
                if (index == 250) {
                    throw new IllegalStateException("the hub died");
                }
                return keys.get(index);
            }

            @Override
            public int size() {
                return keys.size();
            }
        };
        assertThatThrownBy(() -> commands.submitRemembered(chunk, dyingKeys, REMEMBER)).hasMessageContaining("the hub died");
        // and a run that stored the chunk's first 120 lines and died before it heard back
        commands.submitRemembered(chunk.subList(0, 120), keys.subList(0, 120), REMEMBER);
        List<SubmitOutcome> again = commands.submitRemembered(chunk, keys, REMEMBER);

        assertThat(again).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(SubmitOutcome.Accepted.class));
        assertThat(again.stream().map(outcome -> ((SubmitOutcome.Accepted) outcome).claimId()).distinct()).hasSize(lines);
        assertThat(length(globalLog)).isEqualTo(lines);
        // every line's remembered claim is the claim its own line opened
        IntStream.range(0, lines).forEach(i -> assertThat(redis.opsForValue().get(keys.get(i)))
                .isEqualTo(((SubmitOutcome.Accepted) again.get(i)).claimId()));
    }
}
