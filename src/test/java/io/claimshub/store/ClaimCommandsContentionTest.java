package io.claimshub.store;

import static io.claimshub.event.ClaimEventFixtures.documentUpload;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static io.claimshub.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventValidator;
import io.claimshub.testsupport.TestRedis;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pushes without an expected version asked for no version check: contention with other writers is not a conflict. */
@Tag("redis")
class ClaimCommandsContentionTest {

    private static final int WRITERS = 30;

    private final ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), StoreFixtures.newGlobalLog());
    private final ClaimCommands commands = new ClaimCommands(store, new ClaimLifecycle(), new EventValidator(),
            TestRedis.connectionFactory(), Clock.fixed(T0, ZoneOffset.UTC));
    private final ExecutorService threads = Executors.newFixedThreadPool(WRITERS);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void thirtyConcurrentPushesWithoutExpectedVersionAreAllAccepted() throws Exception {
        // given a submitted claim and 30 independent document uploads released at once
        String claimId = ((SubmitOutcome.Accepted) commands.submit(
                (ObjectNode) EventJson.toObjectNode(submission()), null, null)).claimId();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<PushOutcome>> writers = new ArrayList<>();
        for (int writer = 0; writer < WRITERS; writer++) {
            writers.add(threads.submit(() -> {
                start.await();
                return commands.push(claimId, "claim.document.uploaded",
                        EventJson.toObjectNode(documentUpload()), null, null);
            }));
        }

        // when
        start.countDown();
        List<PushOutcome> outcomes = new ArrayList<>();
        for (Future<PushOutcome> writer : writers) {
            outcomes.add(writer.get(60, TimeUnit.SECONDS));
        }

        // expect every push accepted, each as its own event
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(PushOutcome.Accepted.class));
        assertThat(store.history(claimId)).hasSize(WRITERS + 1);
    }
}
