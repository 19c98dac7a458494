package io.claimshub.ingest;

import static io.claimshub.testsupport.TestFiles.testResource;

import static io.claimshub.ingest.IngestFiles.CSV_HEADER;
import static io.claimshub.ingest.IngestFiles.csvRow;
import static io.claimshub.ingest.IngestFiles.submissionLine;
import static io.claimshub.ingest.IngestFiles.unique;
import static io.claimshub.ingest.IngestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The hub's configuration and routes, booted through Camel Main, watching a temporary inbox. */
@Tag("redis")
class FileIngestRouteTest {

    private static final Duration INGESTED = Duration.ofSeconds(20);
    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final String GLOBAL_LOG = TestRedis.uniqueKey("ingest-route-events");

    @TempDir
    static Path inbox;
    private static TestHub hub;

    private final String run = unique();

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                // claims stay unassigned, so the log holds exactly the events the files brought (assignment has tests of its own)
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml"),
                "hub.events.stream", GLOBAL_LOG,
                "hub.ingest.dir", inbox.toString(),
                "hub.ingest.poll-delay", "100",
                "hub.ingest.read-lock-check-interval", "200",
                // well above the time a test's writer takes to resume after its pause
                "hub.ingest.quiet-period", "2000"));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
        REDIS.delete(GLOBAL_LOG);
    }

    private static long logLength() {
        Long size = REDIS.opsForStream().size(GLOBAL_LOG);
        return size == null ? 0 : size;
    }

    private static Path done(String name) {
        return inbox.resolve("done").resolve(name);
    }

    private static Path failed(String name) {
        return inbox.resolve("failed").resolve(name);
    }

    @Test
    void aFileWithBadLinesIsIngestedInPartAndFiledUnderFailedWithItsErrorReport() throws IOException {
        long before = logLength();
        String name = "mixed-" + run + ".jsonl";

        write(inbox.resolve(name), List.of(
                submissionLine(run + "-1"),
                "not json",
                submissionLine(run + "-2"),
                submissionLine(run + "-3").replace("\"auto\"", "\"boat\""),
                submissionLine(run + "-4")));

        await().atMost(INGESTED).until(() -> Files.exists(failed(name)));
        assertThat(inbox.resolve(name)).doesNotExist();
        assertThat(done(name)).doesNotExist();
        assertThat(logLength()).isEqualTo(before + 3);
        List<JsonNode> report = Files.readAllLines(failed(name + ".errors.jsonl"), StandardCharsets.UTF_8).stream()
                .map(line -> EventJson.parse(line, "report line")).toList();
        assertThat(report).extracting(line -> line.path("line").asLong()).containsExactly(2L, 4L);
        assertThat(report).extracting(line -> line.path("reason").asText())
                .containsExactly("not valid JSON", "invalid claim.submitted data");
        assertThat(report.get(1).path("errors").get(0).path("field").asText()).isEqualTo("data.claimType");
    }

    @Test
    void anAllGoodFileIsFiledUnderDoneAndTheSameContentAgainAppendsNothing() throws IOException {
        long before = logLength();
        List<String> lines = List.of(submissionLine(run + "-1"), submissionLine(run + "-2"));
        String first = "good-" + run + ".jsonl";
        write(inbox.resolve(first), lines);
        await().atMost(INGESTED).until(() -> Files.exists(done(first)));
        assertThat(logLength()).isEqualTo(before + 2);

        String second = "good-again-" + run + ".jsonl";
        write(inbox.resolve(second), lines);

        await().atMost(INGESTED).until(() -> Files.exists(done(second)));
        assertThat(logLength()).isEqualTo(before + 2);
        assertThat(failed(second + ".errors.jsonl")).doesNotExist();
    }

    @Test
    void aFileStillUnderItsTemporaryNameIsLeftAloneUntilRenamed() throws IOException {
        long before = logLength();
        String name = "late-" + run + ".jsonl";
        Path partial = write(inbox.resolve(name + ".tmp"), List.of(submissionLine(run + "-1")));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> Files.exists(partial) && logLength() == before);

        Files.move(partial, inbox.resolve(name));
        await().atMost(INGESTED).until(() -> Files.exists(done(name)));
        assertThat(logLength()).isEqualTo(before + 1);
    }

    @Test
    void aCsvFileOfGoodRowsIsFiledUnderDone() {
        long before = logLength();
        String name = "claims-" + run + ".csv";

        write(inbox.resolve(name), List.of(CSV_HEADER, csvRow(run + "-1"), csvRow(run + "-2"), csvRow(run + "-3")));

        await().atMost(INGESTED).until(() -> Files.exists(done(name)));
        assertThat(logLength()).isEqualTo(before + 3);
    }

    @Test
    void aCsvFileWithABadRowIsFiledUnderFailedNamingTheRowAndColumn() throws IOException {
        long before = logLength();
        String name = "claims-bad-" + run + ".csv";

        write(inbox.resolve(name), List.of(CSV_HEADER, csvRow(run + "-1"), csvRow(run + "-2").replace(",EUR,", ",euro,")));

        await().atMost(INGESTED).until(() -> Files.exists(failed(name + ".errors.jsonl")));
        assertThat(failed(name)).exists();
        assertThat(logLength()).isEqualTo(before + 1);
        JsonNode report = EventJson.parse(Files.readAllLines(failed(name + ".errors.jsonl")).get(0), "report line");
        assertThat(report.path("line").asLong()).isEqualTo(3);
        assertThat(report.path("errors").get(0).path("field").asText()).isEqualTo("currency");
    }

    private List<String> twentySubmissions() {
        return IntStream.rangeClosed(1, 20).mapToObj(i -> submissionLine(run + "-" + i)).toList();
    }

    private static void writeText(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<JsonNode> report(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(line -> EventJson.parse(line, "report line")).toList();
    }

    @Test
    void aWriterThatPausesInPlaceAfterTenLinesHasAllTwentyIngestedAndTheFileFiledOnlyWhenComplete() throws IOException {
        long before = logLength();
        String name = "in-place-" + run + ".jsonl";
        List<String> lines = twentySubmissions();

        try (OutputStream out = Files.newOutputStream(inbox.resolve(name))) {
            writeText(out, String.join("\n", lines.subList(0, 10)) + "\n");
            // the writer pauses until the hub has taken the first ten lines, then goes on in the same file
            await().atMost(INGESTED).pollInterval(Duration.ofMillis(20)).until(() -> logLength() == before + 10);
            writeText(out, String.join("\n", lines.subList(10, 20)) + "\n");
        }

        await().atMost(INGESTED).until(() -> Files.exists(done(name)) || Files.exists(failed(name)));
        assertThat(done(name)).exists();
        assertThat(Files.readAllLines(done(name), StandardCharsets.UTF_8)).containsExactlyElementsOf(lines);
        await().atMost(INGESTED).until(() -> logLength() >= before + 20);
        assertThat(logLength()).isEqualTo(before + 20);
    }

    @Test
    void aWriterThatPausesInTheMiddleOfALineHasThatLineIngestedAndNoneRejected() throws IOException {
        long before = logLength();
        String name = "half-line-" + run + ".jsonl";
        List<String> lines = twentySubmissions();
        String eleventh = lines.get(10);

        try (OutputStream out = Files.newOutputStream(inbox.resolve(name))) {
            writeText(out, String.join("\n", lines.subList(0, 10)) + "\n" + eleventh.substring(0, 40));
            await().atMost(INGESTED).pollInterval(Duration.ofMillis(20)).until(() -> logLength() == before + 10);
            writeText(out, eleventh.substring(40) + "\n" + String.join("\n", lines.subList(11, 20)) + "\n");
        }

        await().atMost(INGESTED).until(() -> Files.exists(done(name)) || Files.exists(failed(name)));
        assertThat(failed(name + ".errors.jsonl")).doesNotExist();
        assertThat(done(name)).exists();
        await().atMost(INGESTED).until(() -> logLength() >= before + 20);
        assertThat(logLength()).isEqualTo(before + 20);
    }

    @Test
    void aFileThatEndsWithoutALineBreakAndStaysSoIsIngestedWhole() throws IOException {
        long before = logLength();
        String name = "no-final-break-" + run + ".csv";

        Files.writeString(inbox.resolve(name), CSV_HEADER + "\n" + csvRow(run + "-1") + "\n" + csvRow(run + "-2"));

        await().atMost(INGESTED).until(() -> Files.exists(done(name)) || Files.exists(failed(name)));
        assertThat(done(name)).exists();
        assertThat(logLength()).isEqualTo(before + 2);
    }

    @Test
    void zeroByteFilesAreFiledUnderFailedAsEmptyWithoutHoldingUpOtherFiles() throws IOException {
        long before = logLength();
        String emptyJsonLines = "empty-" + run + ".jsonl";
        String emptyCsv = "empty-" + run + ".csv";
        String good = "after-empty-" + run + ".jsonl";
        Files.createFile(inbox.resolve(emptyJsonLines));
        Files.createFile(inbox.resolve(emptyCsv));

        write(inbox.resolve(good), List.of(submissionLine(run + "-1")));

        // well under the 10 s an empty file used to hold up each look at the inbox
        await().atMost(Duration.ofSeconds(8)).until(() -> Files.exists(done(good)));
        await().atMost(INGESTED).until(() -> Files.exists(failed(emptyJsonLines)) && Files.exists(failed(emptyCsv)));
        for (String empty : List.of(emptyJsonLines, emptyCsv)) {
            assertThat(inbox.resolve(empty)).doesNotExist();
            assertThat(report(failed(empty + ".errors.jsonl"))).singleElement()
                    .satisfies(line -> assertThat(line.path("reason").asText()).isEqualTo("empty file"));
        }
        assertThat(logLength()).isEqualTo(before + 1);
    }

    @Test
    void aLineOverTheBodyLimitOfTheApiIsRefusedWithItsNumberAndNotStored() throws IOException {
        long before = logLength();
        String name = "oversized-" + run + ".jsonl";
        String oversized = submissionLine(run + "-2").replace("Rear-ended at a traffic light", "x".repeat(300_000));

        write(inbox.resolve(name), List.of(submissionLine(run + "-1"), oversized, submissionLine(run + "-3")));

        await().atMost(INGESTED).until(() -> Files.exists(failed(name + ".errors.jsonl")));
        assertThat(report(failed(name + ".errors.jsonl"))).singleElement().satisfies(line -> {
            assertThat(line.path("line").asLong()).isEqualTo(2);
            assertThat(line.path("reason").asText()).isEqualTo("line too long");
        });
        assertThat(logLength()).isEqualTo(before + 2);
    }
}
