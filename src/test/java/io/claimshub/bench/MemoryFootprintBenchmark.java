package io.claimshub.bench;

import static io.claimshub.bench.BenchmarkSupport.printMachine;
import static io.claimshub.bench.BenchmarkSupport.quietLogging;

import io.claimshub.bench.BenchmarkSupport.BenchHub;
import io.claimshub.bench.BenchmarkSupport.BenchRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import io.claimshub.testsupport.TestHub;

/**
 * Redis memory the hub keeps per claim: N claims submitted over REST (each with an {@code Idempotency-Key}),
 * assigned by the processors, then taken to the end of their lifecycle (approved, payment initiated and completed).
 * After each stage it reports {@code used_memory} per claim and {@code MEMORY USAGE} of every key grouped by key
 * pattern, so the README's memory table can be checked against a real run:
 * {@code mvn -B -q -Pbench test-compile exec:java -Dbench.main=io.claimshub.bench.MemoryFootprintBenchmark}
 * ({@code -Dbench.claims=2000}).
 */
public final class MemoryFootprintBenchmark {

    private static final Pattern CLAIM_ID = Pattern.compile("\"claimId\"\\s*:\\s*\"(CLM-[A-Z0-9]{8})\"");

    private MemoryFootprintBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int claims = Integer.getInteger("bench.claims", 2000);
        quietLogging();
        Path roster = Files.createTempFile("bench-roster", ".yaml");
        Files.writeString(roster, """
                adjusters:
                  - id: ADJ-M1
                    name: Memory Bench
                    email: memory@claimshub.example
                    phone: "+41 44 555 00 01"
                    claimTypes: [auto, property, health, liability, travel]
                    regions: ["*"]
                    seniority: SENIOR
                    authorityLimit: 1000000.00
                    maxOpenClaims: 1000000
                """);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (BenchRedis redis = BenchRedis.start(); BenchHub hub = new BenchHub(redis, roster, Map.of())) {
            printMachine("Redis memory per claim", redis, "claims      " + claims);
            long before = usedMemory(redis);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < claims; i++) {
                String body = RestSubmissionBenchmark.submission(1, i);
                String answer = post(http, hub.baseUrl + "/api/claims", body, "memory-bench-" + i);
                Matcher m = CLAIM_ID.matcher(answer);
                if (!m.find()) {
                    throw new IllegalStateException("no claim id in " + answer);
                }
                ids.add(m.group(1));
            }
            String last = ids.get(ids.size() - 1);
            Awaitility.await().atMost(2, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(http, hub.baseUrl + "/api/claims/" + last).contains("\"assigned\""));
            report("submitted and assigned", redis, before, claims);
            for (String id : ids) {
                push(http, hub.baseUrl, id, "claim.approved",
                        "{\"approvedAmount\":{\"amount\":1500.00,\"currency\":\"EUR\"},\"approvedBy\":\"ADJ-M1\"}");
                push(http, hub.baseUrl, id, "claim.payment.initiated",
                        "{\"paymentId\":\"PAY-" + id + "\",\"amount\":{\"amount\":1500.00,\"currency\":\"EUR\"},"
                                + "\"method\":\"bank_transfer\"}");
                push(http, hub.baseUrl, id, "claim.payment.completed",
                        "{\"paymentId\":\"PAY-" + id + "\",\"paidAt\":\"2026-03-06T12:00:00Z\",\"reference\":\"R-" + id
                                + "\"}");
            }
            Awaitility.await().atMost(2, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(http, hub.baseUrl + "/api/claims/" + last).contains("\"paid\""));
            report("closed (approved, paid)", redis, before, claims);
        } finally {
            Files.deleteIfExists(roster);
        }
    }

    private static void report(String stage, BenchRedis redis, long before, int claims) {
        long used = usedMemory(redis) - before;
        System.out.printf(Locale.ROOT, "%n## %s: used_memory %+d bytes, %.0f bytes per claim%n", stage, used,
                (double) used / claims);
        Map<String, long[]> byPattern = new TreeMap<>();
        try (RedisConnection connection = redis.factory.getConnection();
             Cursor<byte[]> keys = connection.keyCommands().scan(ScanOptions.scanOptions().count(1000).build())) {
            while (keys.hasNext()) {
                byte[] key = keys.next();
                Long bytes = connection.execute("MEMORY", "USAGE".getBytes(), key) instanceof Long l
                        ? l : null;
                long[] sum = byPattern.computeIfAbsent(pattern(new String(key)), k -> new long[2]);
                sum[0]++;
                sum[1] += bytes == null ? 0 : bytes;
            }
        }
        System.out.println("| key pattern | keys | bytes | bytes per claim |");
        System.out.println("|---|---:|---:|---:|");
        byPattern.forEach((pattern, sum) -> System.out.printf(Locale.ROOT, "| `%s` | %d | %d | %.0f |%n", pattern,
                sum[0], sum[1], (double) sum[1] / claims));
    }

    /** A key with its ids, hashes and namespaces replaced by placeholders. */
    static String pattern(String key) {
        return key.replaceAll("CLM-[A-Z0-9]{8}", "{claimId}")
                .replaceAll("bench:[0-9a-f-]{36}", "{namespace}")
                .replaceAll("\\{memory-bench-\\d+}", "{key}")
                .replaceAll("claimant:\\{[^}]+}", "claimant:{claimant}")
                .replaceAll("idempotency:\\{[^}]+}", "idempotency:{hour:shard}")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{uuid}")
                .replaceAll("\\d{4}-\\d{2}-\\d{2}", "{date}");
    }

    private static long usedMemory(BenchRedis redis) {
        return Long.parseLong(redis.info("memory").getProperty("used_memory"));
    }

    private static void push(HttpClient http, String base, String claimId, String type, String data)
            throws Exception {
        post(http, base + "/api/claims/" + claimId + "/events",
                "{\"eventType\":\"" + type + "\",\"data\":" + data + "}", null);
    }

    private static String post(HttpClient http, String url, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", TestHub.API_KEY).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", TestHub.API_KEY).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
