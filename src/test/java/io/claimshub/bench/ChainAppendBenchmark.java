package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.latencyHistogram;
import static io.claimshub.bench.BenchmarkSupport.loadAverage;
import static io.claimshub.bench.BenchmarkSupport.median;
import static io.claimshub.bench.BenchmarkSupport.millis;
import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;

import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventEnvelope;
import io.claimshub.store.AppendResult;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.EventChain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The hash chain's cost on the append path (the processors' and the API's): {@link ClaimEventStore#append} of events
 * to existing claims ({@code bench.eventsPerClaim} each, so most appends link to a predecessor read with XREVRANGE)
 * with the chain under a secret against the same script with the chain off ({@link EventChain#offForBenchmarks()}),
 * alternating in one run on one thread.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.ChainAppendBenchmark}.
 * Settings: {@code bench.ops} (20000 per run), {@code bench.rounds} (5), {@code bench.eventsPerClaim} (10).
 */
public final class ChainAppendBenchmark {

    private record Run(double opsPerSecond, Histogram latencyMicros) {
    }

    public static void main(String[] args) throws Exception {
        int ops = Integer.getInteger("bench.ops", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        int perClaim = Integer.getInteger("bench.eventsPerClaim", 10);
        quietLogging();
        try (BenchRedis redis = BenchRedis.start()) {
            printMachine("hash chain on the append path", redis, "plan        1 warm-up + " + rounds + " rounds, " + ops
                    + " appends per run, " + perClaim + " events per claim, chained vs chain off, alternating");
            String log = "bench:chain:" + System.nanoTime();
            Map<String, ClaimEventStore> stores = new LinkedHashMap<>();
            stores.put("chained", new ClaimEventStore(redis.factory, log,
                    EventChain.configured("benchmark-chain-secret-0123456789abcdef")));
            stores.put("off", new ClaimEventStore(redis.factory, log, EventChain.offForBenchmarks()));
            Map<String, List<Run>> results = new LinkedHashMap<>();
            stores.keySet().forEach(k -> results.put(k, new ArrayList<>()));
            for (int round = 0; round <= rounds; round++) {
                List<String> order = new ArrayList<>(stores.keySet());
                if ((round & 1) == 1) {
                    java.util.Collections.reverse(order);
                }
                for (String variant : order) {
                    Run run = measure(stores.get(variant), ops, perClaim);
                    System.out.printf(Locale.ROOT, "%s round %d  %-8s %,8.0f ops/s  p50 %5.3f p99 %6.3f ms  load %s%n",
                            round == 0 ? "warmup" : "      ", round, variant, run.opsPerSecond(),
                            millis(run.latencyMicros(), 50), millis(run.latencyMicros(), 99), loadAverage());
                    if (round > 0) {
                        results.get(variant).add(run);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%nmedian of %d rounds%n", rounds);
            double[] ratios = new double[rounds];
            double[] addedP50 = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                Run chained = results.get("chained").get(r);
                Run off = results.get("off").get(r);
                ratios[r] = chained.opsPerSecond() / off.opsPerSecond();
                addedP50[r] = millis(chained.latencyMicros(), 50) - millis(off.latencyMicros(), 50);
            }
            System.out.printf(Locale.ROOT, "paired by round: chained/off throughput %.1f %% (median), p50 added %+.3f ms%n",
                    100 * median(ratios), median(addedP50));
            double base = median(results.get("off"), Run::opsPerSecond);
            double baseP99 = median(results.get("off"), r -> millis(r.latencyMicros(), 99));
            for (var entry : results.entrySet()) {
                double opsPerSecond = median(entry.getValue(), Run::opsPerSecond);
                double p99 = median(entry.getValue(), r -> millis(r.latencyMicros(), 99));
                System.out.printf(Locale.ROOT, "%-8s %,8.0f ops/s (%5.1f %% of off)  p50 %5.3f  p99 %6.3f ms (%+.3f ms)%n",
                        entry.getKey(), opsPerSecond, 100 * opsPerSecond / base,
                        median(entry.getValue(), r -> millis(r.latencyMicros(), 50)), p99, p99 - baseP99);
            }
        }
    }

    private static Run measure(ClaimEventStore store, int ops, int perClaim) {
        Histogram latency = latencyHistogram();
        String claimId = null;
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            if (i % perClaim == 0) {
                claimId = ClaimIds.newClaimId();
            }
            EventEnvelope event = EventEnvelope.of(claimId, Instant.now(), i % perClaim == 0
                    ? ClaimEventFixtures.submission() : ClaimEventFixtures.documentUpload());
            long before = System.nanoTime();
            AppendResult result = store.append(event, ClaimEventStore.ANY);
            latency.recordValue(Math.max(1, (System.nanoTime() - before) / 1000));
            if (!(result instanceof AppendResult.Appended)) {
                throw new IllegalStateException("append answered " + result);
            }
        }
        return new Run(ops / ((System.nanoTime() - start) / 1e9), latency);
    }
}
