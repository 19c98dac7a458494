package io.claimshub.assignment;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test over a {@link ProcessorsFixture} whose roster, rules and SLA files are in the test's temporary directory. */
abstract class ProcessorsFixtureTestSupport {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    ProcessorsFixture hub;

    @AfterEach
    void closeHub() {
        if (hub != null) {
            hub.close();
        }
    }

    /** The fixture with a roster of these adjusters, processors started on one thread. */
    ProcessorsFixture hubWith(String... adjusters) throws Exception {
        return unstartedHubWith(adjusters).start(1);
    }

    /** The fixture with a roster of these adjusters, processors not started yet. */
    ProcessorsFixture unstartedHubWith(String... adjusters) {
        hub = new ProcessorsFixture(new ProcessingFiles(dir).writeRoster(List.of(adjusters)));
        return hub;
    }

    /** Waits until the processors have assigned the claim; answers the adjuster. */
    String assignedTo(String claimId) {
        return await().atMost(WAIT).until(() -> hub.assignee(claimId), Optional::isPresent).get();
    }
}
