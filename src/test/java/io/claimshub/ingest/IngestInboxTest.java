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
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
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

    private static final Duration QUIET = Duration.ofSeconds(10);

    private final AtomicLong nanoTime = new AtomicLong();
    private final String globalLog = TestRedis.uniqueKey("ingest-events");
    private final String run = unique();

    private static ClaimFileIngester ingesterOn(RedisConnectionFactory redis, String globalLog) {
        ClaimCommands commands = new ClaimCommands(new ClaimEventStore(redis, globalLog), new ClaimLifecycle(),
                new EventValidator(), redis, Clock.systemUTC());
        return new ClaimFileIngester(commands, new IngestedSubmissions(Duration.ofDays(1)), IngestFiles.MAX_LINE_BYTES);
    }

    private static IngestInbox inboxOn(RedisConnectionFactory redis, String globalLog) {
        // no quiet period: these files are complete when the test hands them over
        return new IngestInbox(ingesterOn(redis, globalLog), Duration.ZERO);
    }

    /** An inbox with a quiet period on a clock the test moves. */
    private IngestInbox quietInbox() {
        return new IngestInbox(ingesterOn(TestRedis.connectionFactory(), globalLog), QUIET, nanoTime::get);
    }

    private void quietPeriodPasses() {
        nanoTime.addAndGet(QUIET.toNanos());
    }

    private long logLength() {
        Long size = TestRedis.template().opsForStream().size(globalLog);
        return size == null ? 0 : size;
    }

    @AfterEach
    void dropLog() {
        TestRedis.template().delete(globalLog);
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Test
    @Tag("redis")
    void aFileIsFiledOnlyAfterStayingUnchangedForTheQuietPeriodSinceItWasRead() throws IOException {
        IngestInbox files = quietInbox();
        Path file = write(inbox.resolve("claims.jsonl"), List.of(submissionLine(run + "-1")));

        assertThat(files.ingestAndFile(file)).isEqualTo(file);
        assertThat(logLength()).isEqualTo(1);
        nanoTime.addAndGet(QUIET.toNanos() - 1);
        assertThat(files.ingestAndFile(file)).isEqualTo(file);

        nanoTime.incrementAndGet();
        assertThat(files.ingestAndFile(file)).isEqualTo(inbox.resolve("done/claims.jsonl"));
        assertThat(logLength()).isEqualTo(1);
    }

    @Test
    @Tag("redis")
    void aFileThatChangedAfterItWasReadIsNotFiledAndItsNewLinesAreReadOnALaterLook() throws IOException {
        IngestInbox files = quietInbox();
        Path file = write(inbox.resolve("growing.jsonl"), List.of(submissionLine(run + "-1"), submissionLine(run + "-2")));
        files.ingestAndFile(file);

        append(file, submissionLine(run + "-3") + "\n" + submissionLine(run + "-4") + "\n");
        quietPeriodPasses();

        assertThat(files.ingestAndFile(file)).isEqualTo(file);
        assertThat(logLength()).isEqualTo(4);
        quietPeriodPasses();
        assertThat(files.ingestAndFile(file)).isEqualTo(inbox.resolve("done/growing.jsonl"));
        assertThat(logLength()).isEqualTo(4);
    }

    @Test
    @Tag("redis")
    void aFileRewrittenInPlaceWithTheSameSizeAndTimeStampIsReadAgainBeforeItIsFiled() throws IOException {
        IngestInbox files = quietInbox();
        Path file = write(inbox.resolve("rewritten.jsonl"), List.of(submissionLine(run + "-A")));
        FileTime stamp = Files.getLastModifiedTime(file);
        files.ingestAndFile(file);

        write(file, List.of(submissionLine(run + "-B")));
        Files.setLastModifiedTime(file, stamp);
        quietPeriodPasses();

        assertThat(files.ingestAndFile(file)).isEqualTo(file);
        assertThat(files.ingestAndFile(file)).isEqualTo(file);
        assertThat(logLength()).isEqualTo(2);
        quietPeriodPasses();
        assertThat(files.ingestAndFile(file)).isEqualTo(inbox.resolve("done/rewritten.jsonl"));
    }

    @Test
    @Tag("redis")
    void aLastLineWithoutALineBreakIsTakenAsCompleteOnlyOnceTheFileIsQuiet() throws IOException {
        IngestInbox files = quietInbox();
        Path file = inbox.resolve("unterminated.jsonl");
        Files.writeString(file, submissionLine(run + "-1") + "\n" + submissionLine(run + "-2"));

        files.ingestAndFile(file);
        assertThat(logLength()).isEqualTo(1);

        quietPeriodPasses();
        assertThat(files.ingestAndFile(file)).isEqualTo(inbox.resolve("done/unterminated.jsonl"));
        assertThat(logLength()).isEqualTo(2);
        assertThat(inbox.resolve("failed/unterminated.jsonl.errors.jsonl")).doesNotExist();
    }

    /** An inbox whose file gets {@code late} appended just before it is moved out: after its last check, once. */
    private IngestInbox inboxWrittenToWhileFiling(String late) {
        AtomicBoolean written = new AtomicBoolean();
        return new IngestInbox(ingesterOn(TestRedis.connectionFactory(), globalLog), QUIET, nanoTime::get, file -> {
            if (!written.getAndSet(true)) {
                append(file, late + "\n");
            }
        });
    }

    @Test
    @Tag("redis")
    void aFileWrittenToJustBeforeItIsMovedToDoneIsPutBackAndItsNewLineIsRead() throws IOException {
        IngestInbox files = inboxWrittenToWhileFiling(submissionLine(run + "-late"));
        Path file = write(inbox.resolve("late.jsonl"), List.of(submissionLine(run + "-1")));
        files.ingestAndFile(file);
        quietPeriodPasses();

        assertThat(files.ingestAndFile(file)).isEqualTo(file);
        assertThat(inbox.resolve("done/late.jsonl")).doesNotExist();
        assertThat(file).content(StandardCharsets.UTF_8).contains(run + "-late");

        files.ingestAndFile(file);
        assertThat(logLength()).isEqualTo(2);
        quietPeriodPasses();
        assertThat(files.ingestAndFile(file)).isEqualTo(inbox.resolve("done/late.jsonl"));
        assertThat(logLength()).isEqualTo(2);
    }

    @Test
    @Tag("redis")
    void aFileWrittenToJustBeforeItIsMovedToFailedIsPutBackWithoutItsReport() throws IOException {
        IngestInbox files = inboxWrittenToWhileFiling(submissionLine(run + "-late"));
        Path file = write(inbox.resolve("late.jsonl"), List.of("not json"));
        files.ingestAndFile(file);
        quietPeriodPasses();

        assertThat(files.ingestAndFile(file)).isEqualTo(file);
        assertThat(inbox.resolve("failed/late.jsonl")).doesNotExist();
        assertThat(inbox.resolve("failed/late.jsonl.errors.jsonl")).doesNotExist();

        files.ingestAndFile(file);
        assertThat(logLength()).isEqualTo(1);
        quietPeriodPasses();
        assertThat(files.ingestAndFile(file)).isEqualTo(inbox.resolve("failed/late.jsonl"));
        assertThat(inbox.resolve("failed/late.jsonl.errors.jsonl")).content().contains("\"line\":1");
    }

    @Test
    void aZeroByteFileIsFiledUnderFailedAsEmptyOnceQuiet() throws IOException {
        IngestInbox files = new IngestInbox(ingesterOn(TestRedis.connectionFactory("redis://127.0.0.1:" + TestRedis.freePort()),
                "claims:events"), QUIET, nanoTime::get);
        Path file = Files.createFile(inbox.resolve("nothing.csv"));

        assertThat(files.ingestAndFile(file)).isEqualTo(file);
        quietPeriodPasses();

        assertThat(files.ingestAndFile(file)).isEqualTo(inbox.resolve("failed/nothing.csv"));
        assertThat(Files.readString(inbox.resolve("failed/nothing.csv.errors.jsonl")))
                .contains("\"line\":0", "\"reason\":\"empty file\"");
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
