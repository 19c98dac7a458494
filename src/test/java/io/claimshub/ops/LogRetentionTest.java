package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Archive-then-trim of a stream on a real Redis and real files: a stopped group holds the trim back, a caught-up or
 * deleted group does not, the archive holds exactly the trimmed entries (checksums and a re-read), and a crash between
 * archive and trim or in the middle of a file loses nothing and leaves no half-written file.
 */
@Tag("redis")
class LogRetentionTest {

    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final Duration WEEK = Duration.ofDays(7);
    private static final int OLD = 300;
    private static final int RECENT = 20;

    @TempDir
    Path archiveDir;

    private final String stream = TestRedis.uniqueKey("retention-log");
    private final StreamAdmin admin = new StreamAdmin(TestRedis.connectionFactory());
    private final List<StreamAdmin.Entry> oldEntries = new ArrayList<>();
    private LogArchive archive;

    @BeforeEach
    void fillTheLog() {
        archive = new LogArchive(archiveDir, LogArchive.Period.HOUR);
        long tenDaysAgo = System.currentTimeMillis() - Duration.ofDays(10).toMillis();
        for (int i = 0; i < OLD; i++) {
            // one a minute: five hours' worth, so five archive files
            add(tenDaysAgo + i * 60_000L + "-0", i, true);
        }
        long anHourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        for (int i = 0; i < RECENT; i++) {
            add(anHourAgo + i + "-0", OLD + i, false);
        }
    }

    @AfterEach
    void deleteTheLog() {
        REDIS.delete(List.of(stream, OpsKeys.trimLease(stream)));
    }

    @Test
    void aStoppedGroupHoldsTheTrimBackUntilItCatchesUp() throws Exception {
        // given a group that read everything, one that stopped after ten entries with five of them unacknowledged,
        // and one that was deleted without reading anything
        createGroup("live");
        readAndAck("live", OLD + RECENT, OLD + RECENT);
        createGroup("stopped");
        readAndAck("stopped", 10, 5);
        createGroup("gone");
        REDIS.opsForStream().destroyGroup(stream, "gone");

        // when the retention runs
        LogRetention.Outcome first = retention().run().get(0);

        // expect only the five entries every group acknowledged trimmed; everything the stopped group still needs kept
        assertThat(first.heldBack()).isFalse();
        assertThat(first.trimmed()).isEqualTo(5);
        assertThat(REDIS.opsForStream().size(stream)).isEqualTo(OLD + RECENT - 5);
        assertThat(admin.ends(stream).first()).contains(oldEntries.get(5).id());
        assertThat(archived()).isEqualTo(oldEntries.subList(0, 5));

        // when the stopped group catches up and the retention runs again
        readAndAck("stopped", OLD + RECENT, OLD + RECENT);
        LogRetention.Outcome stillPending = retention().run().get(0);
        assertThat(stillPending.trimmed()).isZero();
        assertThat(REDIS.opsForStream().size(stream)).isEqualTo(OLD + RECENT - 5);
        REDIS.opsForStream().acknowledge(stream, "stopped", oldEntries.subList(5, 10).stream()
                .map(StreamAdmin.Entry::id).toArray(String[]::new));
        LogRetention.Outcome second = retention().run().get(0);

        // expect every entry older than the retention trimmed, the recent ones kept, and exactly the trimmed ones archived
        assertThat(second.trimmed()).isEqualTo(OLD - 5);
        assertThat(REDIS.opsForStream().size(stream)).isEqualTo(RECENT);
        assertThat(archived()).isEqualTo(oldEntries);
        assertChecksumsMatchTheManifest();
        assertThat(archive.ranges(stream)).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void aCrashBetweenTheArchiveWriteAndTheTrimLosesNothingAndArchivesNothingTwice() throws Exception {
        // given every entry acknowledged, and a run that wrote its archive but died before trimming
        createGroup("live");
        readAndAck("live", OLD + RECENT, OLD + RECENT);
        LogRetention.Archived written = retention().archiveBelowBound(new LogRetention.Policy(stream, WEEK));
        assertThat(written.count()).isEqualTo(OLD);
        assertThat(REDIS.opsForStream().size(stream)).isEqualTo(OLD + RECENT);

        // when the next run comes
        LogRetention.Outcome outcome = retention().run().get(0);

        // expect the trim done, and each trimmed entry in the archive exactly once
        assertThat(outcome.trimmed()).isEqualTo(OLD);
        assertThat(outcome.archived()).isZero();
        assertThat(archived()).isEqualTo(oldEntries);
        assertChecksumsMatchTheManifest();
    }

    @Test
    void aHalfWrittenArchiveFileIsDeletedAndItsEntriesArchivedAgainBeforeTheyAreTrimmed() throws Exception {
        // given a run that died mid-file (a temporary file) and one that died between renaming a file and listing it
        createGroup("live");
        readAndAck("live", OLD + RECENT, OLD + RECENT);
        Path dir = archive.directory(stream);
        Files.createDirectories(dir);
        Path temp = dir.resolve("2026-01-01T00_" + oldEntries.get(0).id() + ".jsonl.gz.tmp");
        Files.write(temp, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
        Path unlisted = dir.resolve("2026-01-01T00_1-0.jsonl.gz");
        Files.write(unlisted, new byte[] {0x1f, (byte) 0x8b});

        // when the retention runs
        LogRetention.Outcome outcome = retention().run().get(0);

        // expect neither left, every file listed and whole, and every trimmed entry archived once
        assertThat(temp).doesNotExist();
        assertThat(unlisted).doesNotExist();
        assertThat(outcome.trimmed()).isEqualTo(OLD);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LogArchive.MANIFEST)))
                    .containsExactlyInAnyOrderElementsOf(archive.ranges(stream).stream().map(LogArchive.Range::file).toList());
        }
        assertThat(archived()).isEqualTo(oldEntries);
        assertChecksumsMatchTheManifest();
    }

    @Test
    void nothingYoungerThanTheRetentionIsTrimmed() {
        createGroup("live");
        readAndAck("live", OLD + RECENT, OLD + RECENT);
        LogRetention.Outcome outcome = new LogRetention(admin, archive,
                List.of(new LogRetention.Policy(stream, Duration.ofDays(30))), Clock.systemUTC()).run().get(0);
        assertThat(outcome.trimmed()).isZero();
        assertThat(REDIS.opsForStream().size(stream)).isEqualTo(OLD + RECENT);
        assertThat(archive.ranges(stream)).isEmpty();
    }

    private LogRetention retention() {
        return new LogRetention(admin, archive, List.of(new LogRetention.Policy(stream, WEEK)), Clock.systemUTC());
    }

    private List<StreamAdmin.Entry> archived() {
        List<StreamAdmin.Entry> entries = new ArrayList<>();
        archive.ranges(stream).forEach(range -> archive.read(stream, range, entries::add));
        return entries;
    }

    private void assertChecksumsMatchTheManifest() throws Exception {
        for (LogArchive.Range range : archive.ranges(stream)) {
            byte[] bytes = Files.readAllBytes(archive.directory(stream).resolve(range.file()));
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(range.sha256());
            assertThat((long) bytes.length).isEqualTo(range.bytes());
        }
    }

    private void add(String id, int n, boolean old) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("claimId", "CLM-" + String.format("%08d", n));
        fields.put("eventType", "claim.submitted");
        fields.put("data", "{\"n\":" + n + ",\"text\":\"caf\u00e9\"}");
        MapRecord<String, String, String> record = StreamRecords.newRecord().in(stream).withId(id).ofMap(fields);
        REDIS.opsForStream().add(record);
        if (old) {
            oldEntries.add(new StreamAdmin.Entry(id, fields));
        }
    }

    private void createGroup(String group) {
        REDIS.opsForStream().createGroup(stream, ReadOffset.from("0"), group);
    }

    /** Reads up to {@code read} new entries in the group and acknowledges the first {@code ack} of them. */
    @SuppressWarnings("unchecked")
    private void readAndAck(String group, int read, int ack) {
        List<MapRecord<String, Object, Object>> records = REDIS.opsForStream().read(Consumer.from(group, "c1"),
                StreamReadOptions.empty().count(read), StreamOffset.create(stream, ReadOffset.lastConsumed()));
        List<String> ids = records.stream().limit(ack).map(r -> r.getId().getValue()).toList();
        if (!ids.isEmpty()) {
            REDIS.opsForStream().acknowledge(stream, group, ids.toArray(new String[0]));
        }
    }
}
