package io.claimshub.ingest;

import static io.claimshub.ingest.IngestFiles.CSV_HEADER;
import static io.claimshub.ingest.IngestFiles.csvRow;
import static io.claimshub.ingest.IngestFiles.documentLine;
import static io.claimshub.ingest.IngestFiles.submissionLine;
import static io.claimshub.ingest.IngestFiles.unique;
import static io.claimshub.ingest.IngestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventValidator;
import io.claimshub.event.FieldError;
import io.claimshub.privacy.MasterKeys;
import io.claimshub.privacy.PersonalData;
import io.claimshub.privacy.PersonalDataKeys;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimKeys;
import io.claimshub.store.ClaimantPseudonyms;
import io.claimshub.store.CountingConnectionFactory;
import io.claimshub.store.IngestKeys;
import io.claimshub.store.SubmitOutcome;
import io.claimshub.testsupport.TestRedis;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The line-by-line ingestion against the real store. Every test's lines are unique, since line identities are global. */
@Tag("redis")
class ClaimFileIngesterTest {

    private static final EventValidator VALIDATOR = new EventValidator();

    private final StringRedisTemplate redis = TestRedis.template();
    private final String globalLog = TestRedis.uniqueKey("ingest-events");
    private final ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), globalLog);
    private final ClaimCommands commands = new ClaimCommands(store, new ClaimLifecycle(), VALIDATOR,
            TestRedis.connectionFactory(), Clock.systemUTC());
    private final ClaimFileIngester ingester = new ClaimFileIngester(commands,
            new IngestedSubmissions(Duration.ofDays(1)), IngestFiles.MAX_LINE_BYTES);
    private final List<LineRejection> rejections = new ArrayList<>();
    private final String run = unique();

    @TempDir
    Path dir;

    @AfterEach
    void dropLog() {
        redis.delete(globalLog);
    }

    private FileIngestResult ingest(Path file) throws IOException {
        return ingester.ingest(file, rejections::add);
    }

    private long logLength() {
        Long size = redis.opsForStream().size(globalLog);
        return size == null ? 0 : size;
    }

    private String existingClaim() {
        return ((SubmitOutcome.Accepted) commands.submit(EventJson.parse(submissionLine(run + "-X"), "data"), null, null))
                .claimId();
    }

    @Test
    void validLinesAreStoredAndEachBadLineIsRejectedWithItsNumberAndReason() throws IOException {
        // given a file with good and bad lines
        String claimId = existingClaim();
        Path file = write(dir.resolve("mixed.jsonl"), List.of(
                submissionLine(run + "-1"),
                submissionLine(run + "-2").replace("ada@example.com", "not-an-email"),
                "",
                "{\"policyNumber\": ",
                documentLine(claimId, "DOC-" + run),
                documentLine("CLM-ZZZZZZZZ", "DOC-" + run),
                "{\"eventType\":\"claim.submitted\",\"data\":" + submissionLine(run + "-3") + "}"));

        // when
        FileIngestResult result = ingest(file);

        // expect three good lines in the store, three rejections by line number
        assertThat(result).isEqualTo(new FileIngestResult(3, 3));
        assertThat(logLength()).isEqualTo(1 + 3);
        assertThat(rejections).extracting(LineRejection::line).containsExactly(2L, 4L, 6L);
        assertThat(rejections.get(0).reason()).isEqualTo("invalid claim.submitted data");
        assertThat(rejections.get(0).errors()).extracting(FieldError::field).containsExactly("data.claimant.email");
        assertThat(rejections.get(1).reason()).isEqualTo("not valid JSON");
        assertThat(rejections.get(2).reason()).isEqualTo("claim not found");
        assertThat(store.history(claimId)).hasSize(2);
    }

    @Test
    void theEventsOfAFileNameTheFileAsTheirActor() throws IOException {
        // given a claim and a file with a submission and an event for that claim
        String claimId = existingClaim();
        Path file = write(dir.resolve("partner-batch.jsonl"), List.of(submissionLine(run + "-actor"),
                documentLine(claimId, "DOC-actor-" + run)));

        // when
        assertThat(ingest(file)).isEqualTo(new FileIngestResult(2, 0));

        // expect the file as the actor of the pushed event and of the submission (in the log, like every event)
        assertThat(store.history(claimId).get(1).event().actor()).isEqualTo("file:partner-batch.jsonl");
        List<String> actors = redis.opsForStream().range(globalLog, org.springframework.data.domain.Range.unbounded())
                .stream().map(entry -> String.valueOf(entry.getValue().get("actor"))).toList();
        assertThat(actors).containsOnly("file:partner-batch.jsonl", "null");
        assertThat(actors).filteredOn("file:partner-batch.jsonl"::equals).hasSize(2);
    }

    @Test
    void theSameContentAgainUnderAnotherNameAppendsNothing() throws IOException {
        String claimId = existingClaim();
        List<String> lines = List.of(submissionLine(run + "-1"), documentLine(claimId, "DOC-" + run), anotherSubmission());
        ingest(write(dir.resolve("first.jsonl"), lines));
        long before = logLength();

        FileIngestResult again = ingest(write(dir.resolve("second.jsonl"), lines));

        assertThat(again.accepted()).isEqualTo(3);
        assertThat(logLength()).isEqualTo(before);
    }

    private String anotherSubmission() {
        return submissionLine(run + "-2");
    }

    @Test
    void aSubmissionSentAgainAfterTheStoresIdempotencyWindowStillOpensNoSecondClaim() throws IOException {
        Path file = write(dir.resolve("claims.jsonl"), List.of(submissionLine(run + "-1")));
        ingest(file);
        // what 24 hours do to the store's own idempotency record
        IngestLine.Submission line = (IngestLine.Submission) JsonLinesFormat.parse(submissionLine(run + "-1"));
        String recordId = ClaimKeys.idempotencyRecordId(IngestKeys.idempotencyKey(line.contentHash()));
        long hour = java.time.Instant.now().getEpochSecond() / 3600;
        redis.opsForHash().delete(ClaimKeys.idempotencyBucket(recordId, hour), recordId);
        redis.opsForHash().delete(ClaimKeys.idempotencyBucket(recordId, hour - 1), recordId);

        ingest(file);

        assertThat(logLength()).isEqualTo(1);
    }

    @Test
    void aCrashBetweenStoringAndRememberingALineStillAppendsItOnce() throws IOException {
        Path file = write(dir.resolve("claims.jsonl"), List.of(submissionLine(run + "-1")));
        ingest(file);
        IngestLine.Submission line = (IngestLine.Submission) JsonLinesFormat.parse(submissionLine(run + "-1"));
        redis.delete(IngestKeys.rememberedSubmission(line.contentHash()));

        ingest(file);

        assertThat(logLength()).isEqualTo(1);
    }

    @Test
    void aFileRunAgainAfterACrashHalfWayHoldsEveryLineExactlyOnce() throws IOException {
        // given a file of submissions and events, of which a crashed run stored the first K lines
        String claimId = existingClaim();
        List<String> lines = IntStream.range(0, 20)
                .mapToObj(i -> i % 2 == 0 ? submissionLine(run + "-" + i) : documentLine(claimId, "DOC-" + run + "-" + i))
                .toList();
        ingest(write(dir.resolve("crashed-run.jsonl"), lines.subList(0, 7)));
        assertThat(logLength()).isEqualTo(1 + 7);

        // when the whole file is ingested on restart
        FileIngestResult result = ingest(write(dir.resolve("claims.jsonl"), lines));

        // expect every line once, and no event twice
        assertThat(result).isEqualTo(new FileIngestResult(20, 0));
        assertThat(logLength()).isEqualTo(1 + 20);
        Set<Object> eventIds = new HashSet<>();
        redis.opsForStream().range(globalLog, Range.unbounded()).forEach(entry -> eventIds.add(entry.getValue().get("eventId")));
        assertThat(eventIds).hasSize(1 + 20);
        assertThat(store.history(claimId)).hasSize(1 + 10);
    }

    @Test
    void csvRowsAreSubmittedAndABadRowIsRejectedNamingItsColumn() throws IOException {
        Path file = write(dir.resolve("claims.csv"), List.of(
                CSV_HEADER,
                csvRow(run + "-1"),
                csvRow(run + "-2").replace("+447700900123", "0770090"),
                csvRow(run + "-3")));

        FileIngestResult result = ingest(file);

        assertThat(result).isEqualTo(new FileIngestResult(2, 1));
        assertThat(logLength()).isEqualTo(2);
        assertThat(rejections).singleElement().satisfies(rejection -> {
            assertThat(rejection.line()).isEqualTo(3);
            assertThat(rejection.errors()).extracting(FieldError::field).containsExactly("claimantPhone");
        });
    }

    @Test
    void aCsvRowAndTheSameClaimAsAJsonLineAreOneSubmission() throws IOException {
        ingest(write(dir.resolve("claims.csv"), List.of(CSV_HEADER, csvRow(run + "-1"))));

        ingest(write(dir.resolve("claims.jsonl"),
                List.of(submissionLine(run + "-1").replace("traffic light", "traffic light, rainy"))));

        assertThat(logLength()).isEqualTo(1);
    }

    @Test
    void aTenThousandLineFileIsIngestedInReasonableTime() throws IOException {
        Path file = dir.resolve("large.jsonl");
        try (var out = java.nio.file.Files.newBufferedWriter(file)) {
            for (int i = 0; i < 10_000; i++) {
                out.write(submissionLine(run + "-" + i));
                out.newLine();
            }
        }

        long started = System.nanoTime();
        FileIngestResult result = ingest(file);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result).isEqualTo(new FileIngestResult(10_000, 0));
        assertThat(logLength()).isEqualTo(10_000);
        assertThat(took).isLessThan(Duration.ofSeconds(120));
        System.out.println("10,000 lines ingested in " + took.toMillis() + " ms");
    }

    @Test
    void aThousandSubmissionLinesTakeAFewRoundTripsPerChunkNotSeveralPerLine() throws IOException {
        // given a store whose every Redis connection (one per command, or per pipeline) is counted
        CountingConnectionFactory connections = new CountingConnectionFactory(TestRedis.connectionFactory());
        RedisConnectionFactory counted = connections.factory();
        ClaimCommands countedCommands = new ClaimCommands(new ClaimEventStore(counted, globalLog), new ClaimLifecycle(),
                VALIDATOR, counted, Clock.systemUTC());
        ClaimFileIngester chunked = new ClaimFileIngester(countedCommands,
                new IngestedSubmissions(Duration.ofDays(1)), IngestFiles.MAX_LINE_BYTES, 500);
        List<String> lines = new ArrayList<>(IntStream.range(0, 1_000).mapToObj(i -> submissionLine(run + "-" + i)).toList());
        // a twin in the same chunk, and one in a later chunk, are one claim each too
        lines.add(8, submissionLine(run + "-7"));
        lines.add(submissionLine(run + "-7"));

        // when
        FileIngestResult result = chunked.ingest(write(dir.resolve("chunked.jsonl"), lines), rejections::add);

        // expect every line stored once, in a handful of round trips per chunk of 500
        assertThat(result).isEqualTo(new FileIngestResult(1_002, 0));
        assertThat(logLength()).isEqualTo(1_000);
        assertThat(connections.takeCount()).isLessThan(20);
    }

    private Path writeBytes(String name, byte[]... lines) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        for (byte[] line : lines) {
            bytes.write(line);
            bytes.write('\n');
        }
        return java.nio.file.Files.write(dir.resolve(name), bytes.toByteArray());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Latin-1 "é" in the claimant's name: a byte that is not UTF-8. */
    private static byte[] latin1(String text) {
        return text.replace("Ada Lovelace", "Ad\u00e9 Lovelace").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void aByteThatIsNotUtf8OnLineTwoRejectsLineTwoAndTheLinesAroundItAreIngested() throws IOException {
        Path file = writeBytes("latin1.jsonl", utf8(submissionLine(run + "-1")), latin1(submissionLine(run + "-2")),
                utf8(submissionLine(run + "-3")));

        FileIngestResult result = ingest(file);

        assertThat(rejections).singleElement().satisfies(rejection -> {
            assertThat(rejection.line()).isEqualTo(2);
            assertThat(rejection.reason()).startsWith("not UTF-8");
        });
        assertThat(result).isEqualTo(new FileIngestResult(2, 1));
        assertThat(logLength()).isEqualTo(2);
    }

    @Test
    void aCsvRowWithAByteThatIsNotUtf8IsRejectedByItsLineAndTheRowsBeforeItAreIngested() throws IOException {
        Path file = writeBytes("latin1.csv", utf8(CSV_HEADER), utf8(csvRow(run + "-1")), latin1(csvRow(run + "-2")));

        ingest(file);

        assertThat(rejections).singleElement().satisfies(rejection -> assertThat(rejection.line()).isEqualTo(3));
        assertThat(logLength()).isEqualTo(1);
    }

    @Test
    void aLineOverTheSizeLimitIsRefusedUnreadWithItsNumberAndTheNextLinesAreIngested() throws IOException {
        ClaimFileIngester limited = new ClaimFileIngester(commands,
                new IngestedSubmissions(Duration.ofDays(1)), 1024);
        String oversized = submissionLine(run + "-2").replace("Rear-ended", "x".repeat(1024));
        Path file = write(dir.resolve("oversized.jsonl"), List.of(submissionLine(run + "-1"), oversized, submissionLine(run + "-3")));

        FileIngestResult result = limited.ingest(file, rejections::add);

        assertThat(result).isEqualTo(new FileIngestResult(2, 1));
        assertThat(rejections).singleElement().satisfies(rejection -> {
            assertThat(rejection.line()).isEqualTo(2);
            assertThat(rejection.reason()).isEqualTo("line too long");
            assertThat(rejection.errors().get(0).message()).contains(oversized.length() + " bytes", "1024");
        });
        assertThat(logLength()).isEqualTo(2);
    }

    @Test
    void aCsvRowOverTheSizeLimitIsRefusedUnderTheLineItStartsOn() throws IOException {
        ClaimFileIngester limited = new ClaimFileIngester(commands,
                new IngestedSubmissions(Duration.ofDays(1)), 1024);
        // a quoted description over two lines, each under the limit, the row over it
        String oversized = csvRow(run + "-2").replace("Rear-ended at", "x".repeat(600) + "\n" + "y".repeat(600));
        Path file = write(dir.resolve("oversized.csv"), List.of(CSV_HEADER, oversized, csvRow(run + "-3")));

        limited.ingest(file, rejections::add);

        assertThat(rejections).singleElement().satisfies(rejection -> {
            assertThat(rejection.line()).isEqualTo(2);
            assertThat(rejection.reason()).isEqualTo("line too long");
        });
        assertThat(logLength()).isEqualTo(1);
    }

    @Test
    void anUnfinishedLastLineOfAFileThatMayStillGrowIsLeftForLaterNeitherIngestedNorRejected() throws IOException {
        Path file = dir.resolve("growing.jsonl");
        java.nio.file.Files.writeString(file, submissionLine(run + "-1") + "\n" + submissionLine(run + "-2").substring(0, 50));

        IngestPass pass = ingester.ingest(file, false, rejections::add);

        assertThat(pass.result()).isEqualTo(new FileIngestResult(1, 0));
        assertThat(pass.endHeldBack()).isTrue();
        assertThat(pass.content()).isEqualTo(FileContent.of(file));
        assertThat(rejections).isEmpty();
        assertThat(logLength()).isEqualTo(1);
    }

    @Test
    void withEncryptionAChunkOpensItsClaimantsKeysInOneRoundTripAndEachClaimantKeepsOneKey() throws IOException {
        // given the hub's encryption, on a store and keys whose every Redis connection is counted, and claimants new
        // to it: one with 600 claims (two chunks), three with one each
        CountingConnectionFactory connections = new CountingConnectionFactory(TestRedis.connectionFactory());
        RedisConnectionFactory counted = connections.factory();
        PersonalData personalData = new PersonalData(counted,
                new MasterKeys(Base64.getDecoder().decode(MasterKeys.newKeyBase64()), null),
                () -> new ClaimantPseudonyms("ingest-test-pseudonym-secret-" + run), Clock.systemUTC(), true);
        ClaimCommands countedCommands = new ClaimCommands(new ClaimEventStore(counted, globalLog), new ClaimLifecycle(),
                VALIDATOR, counted, Clock.systemUTC()).protectWith(personalData);
        ClaimFileIngester chunked = new ClaimFileIngester(countedCommands,
                new IngestedSubmissions(Duration.ofDays(1)), IngestFiles.MAX_LINE_BYTES, 500);
        List<String> lines = new ArrayList<>(IntStream.range(0, 600).mapToObj(i -> submissionLine(run + "-" + i)).toList());
        for (int i = 0; i < 3; i++) {
            lines.add(100 * i + 7, submissionLine(run + "-other-" + i).replace("ada@example.com", "other-" + i + "@example.com"));
        }

        // when
        FileIngestResult result = chunked.ingest(write(dir.resolve("encrypted.jsonl"), lines), rejections::add);

        // expect every line stored, in a handful of round trips per chunk, not one more per line
        assertThat(result).isEqualTo(new FileIngestResult(603, 0));
        assertThat(connections.takeCount()).isLessThan(20);
        // each stored encrypted, readable through the claimant's one key, and each claim counted open for its claimant
        Map<String, Set<String>> keyIdsByEmail = new HashMap<>();
        Map<String, Set<String>> claimsByPseudonym = new HashMap<>();
        for (var entry : redis.opsForStream().range(globalLog, Range.unbounded())) {
            String claimId = String.valueOf(entry.getValue().get("claimId"));
            JsonNode stored = EventJson.parse(String.valueOf(entry.getValue().get("data")), "data");
            String token = stored.path("claimant").path("email").asText();
            assertThat(token).startsWith("pd1:claimant.email:").doesNotContain("example.com");
            String email = personalData.reveal(claimId, stored).path("claimant").path("email").asText();
            assertThat(email).endsWith("@example.com");
            String[] parts = token.split(":", 5);
            keyIdsByEmail.computeIfAbsent(email, e -> new HashSet<>()).add(parts[2] + "/" + parts[3]);
            claimsByPseudonym.computeIfAbsent(parts[2], p -> new HashSet<>()).add(claimId);
        }
        assertThat(keyIdsByEmail).hasSize(4).allSatisfy((email, keyIds) -> assertThat(keyIds).hasSize(1));
        assertThat(claimsByPseudonym).hasSize(4).allSatisfy((pseudonym, claims) -> {
            assertThat(redis.opsForHash().keys(PersonalDataKeys.openClaims(pseudonym))).isEqualTo(new HashSet<>(claims));
            assertThat(redis.opsForHash().keys(PersonalDataKeys.claimant(pseudonym)).stream()
                    .filter(field -> field.toString().startsWith("k:"))).hasSize(1);
        });
        assertThat(claimsByPseudonym.values().stream().mapToInt(Set::size).sorted().boxed().toList())
                .containsExactly(1, 1, 1, 600);
    }
}
