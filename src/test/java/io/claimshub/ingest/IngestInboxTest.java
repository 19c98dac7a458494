package io.claimshub.ingest;

import static io.claimshub.ingest.IngestFiles.submissionLine;
import static io.claimshub.ingest.IngestFiles.unique;
import static io.claimshub.ingest.IngestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.EventValidator;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.testsupport.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.RedisConnectionFactory;

class IngestInboxTest {

    @TempDir
    Path inbox;

    private static IngestInbox inboxOn(RedisConnectionFactory redis, String globalLog) {
        ClaimCommands commands = new ClaimCommands(new ClaimEventStore(redis, globalLog), new ClaimLifecycle(),
                new EventValidator(), redis, Clock.systemUTC());
        // no quiet period: these files are complete when the test hands them over
        return new IngestInbox(new ClaimFileIngester(commands, new IngestedSubmissions(redis, Duration.ofDays(1)),
                IngestFiles.MAX_LINE_BYTES), Duration.ZERO);
    }

    @Test
    void aNameFiledBeforeGetsANumber() throws IOException {
        Files.createFile(inbox.resolve("claims.csv"));
        Files.createFile(inbox.resolve("claims-2.csv"));

        assertThat(IngestInbox.freeName(inbox, "claims.csv")).isEqualTo(inbox.resolve("claims-3.csv"));
        assertThat(IngestInbox.freeName(inbox, "other.csv")).isEqualTo(inbox.resolve("other.csv"));
    }

    @Test
    @Tag("redis")
    void aFileOfTheSameNameAsOneFiledBeforeIsFiledBesideIt() throws IOException {
        IngestInbox files = inboxOn(TestRedis.connectionFactory(), TestRedis.uniqueKey("ingest-events"));
        String run = unique();

        Path first = files.ingestAndFile(write(inbox.resolve("daily.jsonl"), List.of(submissionLine(run + "-1"))));
        Path second = files.ingestAndFile(write(inbox.resolve("daily.jsonl"), List.of(submissionLine(run + "-2"))));

        assertThat(first).isEqualTo(inbox.resolve("done/daily.jsonl"));
        assertThat(second).isEqualTo(inbox.resolve("done/daily-2.jsonl"));
    }

    @Test
    void aFileIsLeftInTheInboxWhenTheStoreCannotBeReached() {
        RedisConnectionFactory unreachable = TestRedis.connectionFactory("redis://127.0.0.1:" + TestRedis.freePort());
        Path file = write(inbox.resolve("claims.jsonl"), List.of(submissionLine(unique())));

        assertThatThrownBy(() -> inboxOn(unreachable, "claims:events").ingestAndFile(file)).isInstanceOf(RuntimeException.class);

        assertThat(file).exists();
        assertThat(inbox.resolve("done")).doesNotExist();
        assertThat(inbox.resolve("failed/claims.jsonl")).doesNotExist();
    }
}
