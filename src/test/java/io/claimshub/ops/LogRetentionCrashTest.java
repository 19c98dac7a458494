package io.claimshub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.testsupport.ForkedHub;
import io.claimshub.testsupport.TestRedis;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A real {@code kill -9} in the middle of archive-and-trim: a hub in its own JVM archives a dead-letter stream of old
 * entries and is killed (SIGKILL) once some archive files are written and before the run is over. The next run, on
 * what the killed one left on disk and in Redis, ends with every entry archived exactly once, in order, in files whose
 * checksums match the manifest, no temporary file left, and the stream trimmed.
 *
 * <p>Not tagged {@code redis} (CI does not repeat it against Redis 7): it is about a process dying; the scripts it
 * runs are the ones the tagged tests run against both servers.
 */
class LogRetentionCrashTest {

    private static final StringRedisTemplate REDIS = TestRedis.template();
    private static final int ENTRIES = 60_000;

    @TempDir
    Path dir;

    private final String stream = TestRedis.uniqueKey("crash-log");
    private final String deadLetters = OpsKeys.deadLetters(stream);
    private ForkedHub hub;

    @AfterEach
    void cleanUp() {
        if (hub != null) {
            hub.close();
        }
        REDIS.delete(List.of(stream, deadLetters, deadLetters + ":filling", OpsKeys.replays(stream), OpsKeys.trimLease(deadLetters),
                OpsKeys.trimLease(stream), OpsKeys.trimLease(OpsKeys.replays(stream))));
    }

    @Test
    void aHubKilledMidArchiveLosesNothingAndTheNextRunArchivesEachEntryOnce() throws Exception {
        // filled under another name, and renamed into place once the hub runs (its retention runs every second)
        String filling = deadLetters + ":filling";
        List<StreamAdmin.Entry> written = fillDeadLetters(filling);
        Path archiveDir = dir.resolve("archive");
        LogArchive archive = new LogArchive(archiveDir, LogArchive.Period.HOUR);

        hub = ForkedHub.start(Map.of(
                "hub.events.stream", stream,
                "hub.retention.interval", "1000",
                "hub.retention.dead-letter-days", "30",
                "hub.archive.dir", archiveDir.toString(),
                "hub.archive.period", "hour",
                "hub.ingest.enabled", "false"), dir.resolve("hub"));
        REDIS.rename(filling, deadLetters);
        // ~40 days back to ~33 days back, one entry every 10 s: about 170 hourly files
        await("a few archive files written").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                .until(() -> archive.ranges(deadLetters).size() >= 3);
        hub.kill();

        long leftInRedis = REDIS.opsForStream().size(deadLetters);
        int filesListed = archive.ranges(deadLetters).size();
        assertThat(leftInRedis).as("the killed run had not trimmed everything yet").isPositive();
        assertThat(filesListed).as("the killed run had not archived everything yet").isLessThan(160);

        // the killed run's lease is still held: no run before it runs out (at most 30 minutes); here it runs out now
        Long leaseLeft = REDIS.getExpire(OpsKeys.trimLease(deadLetters));
        assertThat(leaseLeft).as("seconds left on the killed run's lease").isBetween(1L, Duration.ofMinutes(30).toSeconds());
        REDIS.delete(OpsKeys.trimLease(deadLetters));

        // the next run (here in the test's JVM, the same code the hub runs on its timer)
        LogRetention next = new LogRetention(new StreamAdmin(TestRedis.connectionFactory()), archive,
                List.of(new LogRetention.Policy(deadLetters, Duration.ofDays(30))), Clock.systemUTC());
        next.run();

        assertThat(REDIS.opsForStream().size(deadLetters)).isZero();
        List<StreamAdmin.Entry> archived = new ArrayList<>();
        archive.ranges(deadLetters).forEach(range -> archive.read(deadLetters, range, archived::add));
        assertThat(archived).hasSize(ENTRIES);
        assertThat(archived).isEqualTo(written);
        try (Stream<Path> files = Files.list(archive.directory(deadLetters))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LogArchive.MANIFEST))
                    .toList();
            assertThat(names).noneMatch(n -> n.endsWith(".tmp"));
            assertThat(names).containsExactlyInAnyOrderElementsOf(
                    archive.ranges(deadLetters).stream().map(LogArchive.Range::file).toList());
        }
        for (LogArchive.Range range : archive.ranges(deadLetters)) {
            byte[] bytes = Files.readAllBytes(archive.directory(deadLetters).resolve(range.file()));
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
                    .as(range.file()).isEqualTo(range.sha256());
        }
    }

    private List<StreamAdmin.Entry> fillDeadLetters(String key) {
        long start = System.currentTimeMillis() - Duration.ofDays(40).toMillis();
        List<StreamAdmin.Entry> entries = new ArrayList<>(ENTRIES);
        List<MapRecord<String, String, String>> batch = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("claimId", "CLM-" + String.format("%08d", i));
            fields.put("eventType", "claim.submitted");
            fields.put("dlq.group", "processors");
            fields.put("dlq.reason", "test entry " + i);
            String id = (start + i * 10_000L) + "-0";
            batch.add(StreamRecords.newRecord().in(key).withId(id).ofMap(fields));
            entries.add(new StreamAdmin.Entry(id, fields));
            if (batch.size() == 1000) {
                flush(batch);
            }
        }
        flush(batch);
        return entries;
    }

    private static void flush(List<MapRecord<String, String, String>> batch) {
        List<MapRecord<String, String, String>> records = List.copyOf(batch);
        batch.clear();
        REDIS.executePipelined((org.springframework.data.redis.core.RedisCallback<Object>) connection -> {
            for (MapRecord<String, String, String> record : records) {
                Map<byte[], byte[]> raw = new LinkedHashMap<>();
                record.getValue().forEach((k, v) -> raw.put(k.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                connection.streamCommands().xAdd(MapRecord.create(record.getStream().getBytes(
                        java.nio.charset.StandardCharsets.UTF_8), raw).withId(record.getId()));
            }
            return null;
        });
    }
}
