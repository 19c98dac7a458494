package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.seconds;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import io.claimshub.ops.LogArchive;
import io.claimshub.ops.LogRetention;
import io.claimshub.ops.StreamAdmin;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * The retention run on a log of old, acknowledged entries: archive (gzip JSON Lines, synced and renamed, manifest)
 * and trim ({@code XTRIM MINID} after the groups are checked), in entries per second, against a bare
 * {@code XTRIM MINID} of the same stream in the same run (no archive, no check).
 *
 * <p>Settings: {@code bench.entries} (1000000), {@code bench.rounds} (3).
 */
public final class TrimArchiveBenchmark {

    private static final int PIPELINE = 1000;

    private record Run(double seconds, long entries, long archiveBytes) {
        double perSecond() {
            return entries / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int entries = Integer.getInteger("bench.entries", 1_000_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        try (BenchmarkSupport.BenchRedis redis = BenchmarkSupport.BenchRedis.start()) {
            printMachine("Trim and archive of " + entries + " entries, " + rounds + " rounds", redis);
            StreamAdmin admin = new StreamAdmin(redis.factory);
            List<Run> hub = new ArrayList<>();
            List<Double> bare = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                String stream = "bench:trim:" + UUID.randomUUID();
                fill(redis, stream, entries);
                long start = System.nanoTime();
                long trimmed = admin.trimBelow(stream, (System.currentTimeMillis() - Duration.ofDays(7).toMillis()) + "-0");
                double bareSeconds = seconds(System.nanoTime() - start);
                delete(redis, stream);
                bare.add(trimmed / bareSeconds);
                System.out.printf(Locale.ROOT, "round %d  bare XTRIM MINID   %,d entries in %.2f s: %,.0f entries/s  (load %s)%n",
                        round, trimmed, bareSeconds, trimmed / bareSeconds, loadAverage());

                stream = "bench:trim:" + UUID.randomUUID();
                fill(redis, stream, entries);
                Path dir = Files.createTempDirectory("claimshub-bench-archive");
                LogArchive archive = new LogArchive(dir, LogArchive.Period.HOUR);
                LogRetention retention = new LogRetention(admin, archive,
                        List.of(new LogRetention.Policy(stream, Duration.ofDays(7))), Clock.systemUTC());
                start = System.nanoTime();
                LogRetention.Outcome outcome = retention.run().get(0);
                double total = seconds(System.nanoTime() - start);
                long bytes = archive.ranges(stream).stream().mapToLong(LogArchive.Range::bytes).sum();
                Run run = new Run(total, outcome.trimmed(), bytes);
                hub.add(run);
                System.out.printf(Locale.ROOT, "round %d  archive + trim     %,d entries in %.2f s: %,.0f entries/s, %d files, %.1f MB gzip"
                                + " (%.0f B/entry)  (load %s)%n", round, outcome.trimmed(), total, run.perSecond(),
                        archive.ranges(stream).size(), bytes / 1e6, (double) bytes / Math.max(1, outcome.trimmed()), loadAverage());
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                delete(redis, stream);
            }
            double hubRate = median(hub, Run::perSecond);
            double bareRate = median(bare, Double::doubleValue);
            System.out.printf(Locale.ROOT, "%nmedian  archive + trim %,.0f entries/s = %.1f %% of bare XTRIM MINID %,.0f entries/s%n",
                    hubRate, 100 * hubRate / bareRate, bareRate);
        }
    }

    /**
     * A stream of {@code entries} log-like entries (six fields, a 200-byte data field) ten days old, ten a second,
     * with one group that has read and acknowledged all of them.
     */
    private static void fill(BenchmarkSupport.BenchRedis redis, String stream, int entries) {
        long start = System.nanoTime();
        long firstMillis = System.currentTimeMillis() - Duration.ofDays(10).toMillis();
        byte[] key = stream.getBytes(StandardCharsets.UTF_8);
        String data = "{\"policyNumber\":\"POL-123456\",\"claimType\":\"auto\",\"description\":\""
                + "x".repeat(120) + "\",\"amount\":\"1500.00\"}";
        for (int from = 0; from < entries; from += PIPELINE) {
            int to = Math.min(entries, from + PIPELINE);
            int first = from;
            try (RedisConnection connection = redis.factory.getConnection()) {
                connection.openPipeline();
                for (int i = first; i < to; i++) {
                    connection.execute("XADD", key, b((firstMillis + i * 100L) + "-0"), b("eventId"), b(UUID.randomUUID().toString()),
                            b("eventType"), b("claim.submitted"), b("claimId"), b(String.format("CLM-%08d", i)),
                            b("version"), b("1"), b("timestamp"), b("2026-11-21T10:00:00Z"), b("data"), b(data));
                }
                connection.closePipeline();
            }
        }
        try (RedisConnection connection = redis.factory.getConnection()) {
            connection.execute("XGROUP", b("CREATE"), key, b("everyone"), b("$"));
        }
        System.out.printf(Locale.ROOT, "        filled %,d entries in %.1f s%n", entries, seconds(System.nanoTime() - start));
    }

    private static void delete(BenchmarkSupport.BenchRedis redis, String stream) {
        try (RedisConnection connection = redis.factory.getConnection()) {
            connection.keyCommands().del(stream.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
