package io.claimshub.store;

import static io.claimshub.event.ClaimEventFixtures.documentUpload;
import static io.claimshub.event.ClaimEventFixtures.investigation;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static io.claimshub.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventValidator;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.testsupport.StreamRewrites;
import io.claimshub.testsupport.TestRedis;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The hash chain over a claim's stream: what {@link ClaimEventStore#verifyChain} finds after edits by hand. */
@Tag("redis")
class ClaimChainTest {

    private static final String SECRET = "chain-secret-for-the-test-0123456789abcdef";

    private final String globalLog = StoreFixtures.newGlobalLog();
    private final ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), globalLog,
            EventChain.configured(SECRET));
    private final ClaimCommands commands = new ClaimCommands(store, new ClaimLifecycle(), new EventValidator(),
            TestRedis.connectionFactory(), Clock.fixed(T0, ZoneOffset.UTC));

    private String claimWithFourEvents() {
        String claimId = ((SubmitOutcome.Accepted) commands.submit(json(submission()), null, null)).claimId();
        push(claimId, "claim.assigned", io.claimshub.event.ClaimEventFixtures.assignment("ADJ-01", "Adjuster ADJ-01"));
        push(claimId, "claim.document.uploaded", documentUpload());
        push(claimId, "claim.investigated", investigation(InvestigationOutcome.CLEARED));
        return claimId;
    }

    @Test
    void anUntouchedClaimVerifies() {
        String claimId = claimWithFourEvents();

        EventChain.Verification verification = store.verifyChain(claimId).orElseThrow();

        assertThat(verification.valid()).isTrue();
        assertThat(verification.events()).isEqualTo(4);
        assertThat(verification.firstBrokenVersion()).isZero();
        assertThat(verification.unchainedBefore()).isZero();
        // the link Redis stored is the one the hub computes (EventChain.link) from the entry before
        List<EventChain.RawEntry> entries = store.rawEntries(claimId);
        List<Map.Entry<String, String>> third = entries.get(2).fields();
        String previous = last(entries.get(1).fields()).getValue();
        assertThat(last(third).getValue()).isEqualTo(store.chain().link(claimId, previous,
                third.subList(0, third.size() - 1)));
        // and another key would not have made it
        assertThat(last(third).getValue()).isNotEqualTo(EventChain.unkeyed().link(claimId, previous,
                third.subList(0, third.size() - 1)));
        assertThat(store.verifyChain("CLM-ZZZZZZZZ")).isEmpty();
    }

    @Test
    void anEventEditedByHandIsTheFirstBrokenLink() {
        String claimId = claimWithFourEvents();
        List<EventChain.RawEntry> entries = store.rawEntries(claimId);

        // the document uploaded (version 3) now names another file
        rewrite(claimId, entries, 2, fields -> StreamRewrites.with(fields, "data",
                data -> data.replace("\"fileName\":\"", "\"fileName\":\"forged-")));

        EventChain.Verification verification = store.verifyChain(claimId).orElseThrow();
        assertThat(verification.valid()).isFalse();
        assertThat(verification.firstBrokenVersion()).isEqualTo(3);
        assertThat(verification.firstBrokenEntryId()).isEqualTo(entries.get(2).entryId());
        assertThat(verification.reason()).contains("does not match");
        assertThat(store.history(claimId).get(2).event().data().toString()).contains("forged-");
    }

    @Test
    void aForgerWhoRecomputesTheChainWithoutTheSecretIsCaught() {
        String claimId = claimWithFourEvents();
        String assignedBefore = store.history(claimId).get(1).event().data().toString();

        // version 2 edited, and every link from there on recomputed, as the public key would have them
        forgeFromVersionTwo(claimId, store.rawEntries(claimId));

        EventChain.Verification verification = store.verifyChain(claimId).orElseThrow();
        assertThat(verification.valid()).isFalse();
        assertThat(verification.firstBrokenVersion()).isEqualTo(2);
        assertThat(assignedBefore).contains("ADJ-01");
        assertThat(store.history(claimId).get(1).event().data().toString()).contains("ADJ-66");
    }

    @Test
    void withoutASecretTheChainShowsEditsButNotAForgerWhoRecomputesIt() {
        ClaimEventStore unkeyed = new ClaimEventStore(TestRedis.connectionFactory(), globalLog);
        ClaimCommands unkeyedCommands = new ClaimCommands(unkeyed, new ClaimLifecycle(), new EventValidator(),
                TestRedis.connectionFactory(), Clock.fixed(T0, ZoneOffset.UTC));
        String claimId = ((SubmitOutcome.Accepted) unkeyedCommands.submit(json(submission()), null, null)).claimId();
        assertThat(unkeyedCommands.push(claimId, "claim.assigned",
                json(io.claimshub.event.ClaimEventFixtures.assignment("ADJ-01", "Adjuster ADJ-01")), null, null))
                .isInstanceOf(PushOutcome.Accepted.class);
        List<EventChain.RawEntry> entries = unkeyed.rawEntries(claimId);

        rewrite(claimId, entries, 1, fields -> StreamRewrites.with(fields, "data", data -> data.replace("ADJ-01", "ADJ-66")));
        assertThat(unkeyed.verifyChain(claimId).orElseThrow().firstBrokenVersion()).isEqualTo(2);

        forgeFromVersionTwo(claimId, entries);
        assertThat(unkeyed.verifyChain(claimId).orElseThrow().valid()).isTrue();
    }

    // the claim's entries written again with version 2's adjuster changed and links from version 2 on recomputed
    // under the public key
    private static void forgeFromVersionTwo(String claimId, List<EventChain.RawEntry> entries) {
        List<StreamRewrites.Entry> forged = new ArrayList<>();
        forged.add(new StreamRewrites.Entry(entries.get(0).entryId(), entries.get(0).fields()));
        String previous = last(entries.get(0).fields()).getValue();
        for (int i = 1; i < entries.size(); i++) {
            List<Map.Entry<String, String>> fields = StreamRewrites.without(entries.get(i).fields(), EventChain.FIELD);
            if (i == 1) {
                fields = StreamRewrites.with(fields, "data", data -> data.replace("ADJ-01", "ADJ-66"));
            }
            previous = EventChain.unkeyed().link(claimId, previous, fields);
            List<Map.Entry<String, String>> linked = new ArrayList<>(fields);
            linked.add(Map.entry(EventChain.FIELD, previous));
            forged.add(new StreamRewrites.Entry(entries.get(i).entryId(), linked));
        }
        StreamRewrites.rewrite(TestRedis.template(), ClaimKeys.claimStream(claimId), forged);
    }

    @Test
    void aDeletedEventBreaksTheLinkAfterIt() {
        String claimId = claimWithFourEvents();
        List<EventChain.RawEntry> entries = store.rawEntries(claimId);
        TestRedis.template().opsForStream().delete(ClaimKeys.claimStream(claimId), entries.get(1).entryId());

        EventChain.Verification verification = store.verifyChain(claimId).orElseThrow();
        assertThat(verification.valid()).isFalse();
        assertThat(verification.events()).isEqualTo(3);
        assertThat(verification.firstBrokenVersion()).isEqualTo(2);
        assertThat(verification.firstBrokenEntryId()).isEqualTo(entries.get(2).entryId());
    }

    @Test
    void aLinkRemovedAfterChainedEventsIsBroken() {
        String claimId = claimWithFourEvents();
        List<EventChain.RawEntry> entries = store.rawEntries(claimId);
        rewrite(claimId, entries, 3, fields -> StreamRewrites.without(fields, EventChain.FIELD));

        EventChain.Verification verification = store.verifyChain(claimId).orElseThrow();
        assertThat(verification.valid()).isFalse();
        assertThat(verification.firstBrokenVersion()).isEqualTo(4);
        assertThat(verification.reason()).contains("no chainHash");
    }

    @Test
    void eventsWrittenBeforeTheChainAreReportedUnchainedAndTheChainStartsAfterThem() {
        // a claim from before the chain: its entries carry no link
        String claimId = ((SubmitOutcome.Accepted) commands.submit(json(submission()), null, null)).claimId();
        push(claimId, "claim.assigned", io.claimshub.event.ClaimEventFixtures.assignment("ADJ-01", "Adjuster ADJ-01"));
        List<EventChain.RawEntry> entries = store.rawEntries(claimId);
        List<StreamRewrites.Entry> old = entries.stream().map(entry -> new StreamRewrites.Entry(entry.entryId(),
                StreamRewrites.without(entry.fields(), EventChain.FIELD))).toList();
        StreamRewrites.rewrite(TestRedis.template(), ClaimKeys.claimStream(claimId), old);
        assertThat(store.verifyChain(claimId).orElseThrow()).satisfies(v -> {
            assertThat(v.valid()).isTrue();
            assertThat(v.unchainedBefore()).isEqualTo(3);
        });

        // when this build appends to it
        push(claimId, "claim.document.uploaded", documentUpload());

        EventChain.Verification verification = store.verifyChain(claimId).orElseThrow();
        assertThat(verification.valid()).isTrue();
        assertThat(verification.unchainedBefore()).isEqualTo(3);
        assertThat(verification.events()).isEqualTo(3);
        assertThat(verification.head()).hasSize(40);
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> EventChain.configured("short")).hasMessageContaining("hub.chain.secret");
        assertThat(EventChain.configured(" ").keyed()).isFalse();
        assertThat(EventChain.configured(SECRET).keyed()).isTrue();
    }

    private static void rewrite(String claimId, List<EventChain.RawEntry> entries, int index,
                         java.util.function.UnaryOperator<List<Map.Entry<String, String>>> change) {
        List<StreamRewrites.Entry> rewritten = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            EventChain.RawEntry entry = entries.get(i);
            rewritten.add(new StreamRewrites.Entry(entry.entryId(), i == index ? change.apply(entry.fields()) : entry.fields()));
        }
        StreamRewrites.rewrite(TestRedis.template(), ClaimKeys.claimStream(claimId), rewritten);
    }

    private void push(String claimId, String eventType, ClaimEventData data) {
        assertThat(commands.push(claimId, eventType, json(data), null, null)).isInstanceOf(PushOutcome.Accepted.class);
    }

    private static Map.Entry<String, String> last(List<Map.Entry<String, String>> fields) {
        return fields.get(fields.size() - 1);
    }

    private static JsonNode json(ClaimEventData data) {
        return EventJson.toObjectNode(data);
    }
}
