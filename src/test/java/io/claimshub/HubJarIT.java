package io.claimshub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.testsupport.TestRedis;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The shaded jar as an operator runs it: {@code java -jar claims-hub.jar} in a working directory of its own, set up
 * through {@code config/application.properties} and environment variables, on the Redis it embeds. Each hub is a
 * child process with its output in a log file, printed when a test fails.
 *
 * <p>Tests 1 and 2 share one booted hub (a boot takes 10-20 s here): the second restarts the hub the first used,
 * or boots one itself when run alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HubJarIT {

    /** Generous: two hubs booting at once on a two-core machine take up to ~40 s, and over 90 s on a loaded one. */
    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Duration EFFECT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final List<String> GROUPS = List.of("processors", "analytics", "notifications", "integrations");
    private static final String DEFAULT_STREAM = "claims:events";
    private static final int SIGTERM_EXIT_CODE = 128 + 15;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Static: one directory for the whole class, so the shared hub's working directory outlives test 1. */
    @TempDir
    static Path tmp;

    private final List<HubProcess> running = new ArrayList<>();
    private final List<HubProcess> usedByThisTest = new ArrayList<>();
    private final List<HubProcess> stopped = new ArrayList<>();
    private HubWithEvent sharedHub;

    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            usedByThisTest.forEach(HubProcess::printLog);
        }
    };

    @BeforeEach
    void forgetPreviousTestsHubs() {
        usedByThisTest.clear();
    }

    @Test
    @Order(1)
    void bootsOnEmbeddedRedisAndEveryGroupConsumes() throws Exception {
        HubWithEvent shared = sharedHub();

        JsonNode health = shared.hub().health();
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(check(health, "redis").path("status").asText()).isEqualTo("UP");
        assertThat(shared.hub().redisServers()).as("the hub's own redis-server child process").hasSize(1);
        // sharedHub() awaited this; stated again as what this test proves
        assertEveryGroupAcknowledged(shared.hub(), DEFAULT_STREAM, shared.entryId());
        assertThat(shared.hub().exchangesPerGroupRoute()).as("exchanges per group route").containsOnly(
                Map.entry("processors", 1.0), Map.entry("analytics", 1.0), Map.entry("notifications", 1.0),
                Map.entry("integrations", 1.0));
    }

    @Test
    @Order(2)
    void embeddedRedisDataSurvivesARestart() throws Exception {
        HubWithEvent shared = sharedHub();
        HubProcess first = shared.hub();
        sharedHub = null; // stopped here; no later test may reuse it

        assertThat(first.stop()).as("exit code after SIGTERM: an orderly shutdown").isEqualTo(SIGTERM_EXIT_CODE);
        await("the embedded Redis stopped with the hub").atMost(EFFECT).pollInterval(POLL)
                .until(() -> !answers(first.redisPort()) && first.redisServers().stream().noneMatch(ProcessHandle::isAlive));

        HubProcess second = new HubProcess("restarted", first.workDir(), first.environment());
        second.awaitHealthy();

        try (RedisClient redis = new RedisClient(second.redisPort())) {
            List<MapRecord<String, Object, Object>> entries = redis.template().opsForStream()
                    .range(DEFAULT_STREAM, Range.unbounded());
            assertThat(entries).extracting(MapRecord::getId).containsExactly(shared.entryId());
            assertThat(entries.get(0).getValue()).containsEntry(StreamEntryCodec.CLAIM_ID, ClaimEventFixtures.CLAIM_ID);
            assertThat(groupNames(redis, DEFAULT_STREAM)).containsExactlyInAnyOrderElementsOf(GROUPS);

            RecordId next = redis.template().opsForStream().add(MapRecord.create(DEFAULT_STREAM, claimSubmittedEntry()));
            awaitEveryGroupAcknowledged(second, DEFAULT_STREAM, next);
        }
        // the groups kept their positions: the restarted hub read only the new entry (groups recreated at 0 would
        // have delivered the first entry again, before the new one)
        assertThat(second.exchangesPerGroupRoute()).as("exchanges per group route after the restart").containsOnly(
                Map.entry("processors", 1.0), Map.entry("analytics", 1.0), Map.entry("notifications", 1.0),
                Map.entry("integrations", 1.0));
    }

    @Test
    @Order(3)
    void twoInstancesRunSideBySideWithTheirOwnPorts() throws Exception {
        stopSharedHub(); // two more JVMs are plenty for two cores
        Path dirOne = Files.createDirectories(tmp.resolve("one"));
        Path dirTwo = Files.createDirectories(tmp.resolve("two"));
        HubProcess one = new HubProcess("one", dirOne, freshPorts(dirOne));
        HubProcess two = new HubProcess("two", dirTwo, freshPorts(dirTwo));

        one.awaitHealthy();
        two.awaitHealthy();

        assertThat(List.of(one.serverPort(), one.managementPort(), one.redisPort()))
                .doesNotContainAnyElementsOf(List.of(two.serverPort(), two.managementPort(), two.redisPort()));
        assertThat(answers(one.serverPort())).as("one's HTTP server").isTrue();
        assertThat(answers(two.serverPort())).as("two's HTTP server").isTrue();
        assertThat(one.redisServers()).hasSize(1).doesNotContainAnyElementsOf(two.redisServers());
        assertThat(two.redisServers()).hasSize(1);
        assertThat(dirOne.resolve("data/redis/appendonly.aof")).exists();
        assertThat(dirTwo.resolve("data/redis/appendonly.aof")).exists();
        // both still healthy now that both run
        assertThat(one.health().path("status").asText()).isEqualTo("UP");
        assertThat(two.health().path("status").asText()).isEqualTo("UP");
    }

    @Test
    @Order(4)
    void settingsComeFromTheJarThenConfigFileThenEnvironment() throws Exception {
        stopSharedHub();
        Path workDir = Files.createDirectories(tmp.resolve("precedence"));
        int filePort = TestRedis.freePort();
        Files.createDirectories(workDir.resolve("config"));
        Files.writeString(workDir.resolve("config/application.properties"), """
                hub.events.stream = it:events
                camel.management.port = %d
                """.formatted(filePort));
        Map<String, String> env = freshPorts(workDir); // CAMEL_MANAGEMENT_PORT among them
        assertThat(Integer.parseInt(env.get("CAMEL_MANAGEMENT_PORT"))).isNotEqualTo(filePort);

        HubProcess hub = new HubProcess("precedence", workDir, env);
        hub.awaitHealthy(); // health is polled on the environment's management port

        assertThat(answers(filePort)).as("anything on the file's management port").isFalse();
        try (RedisClient redis = new RedisClient(hub.redisPort())) {
            await("groups on the file's stream").atMost(EFFECT).pollInterval(POLL).untilAsserted(() ->
                    assertThat(groupNames(redis, "it:events")).containsExactlyInAnyOrderElementsOf(GROUPS));
            assertThat(redis.template().hasKey(DEFAULT_STREAM)).as("the jar's default stream exists").isFalse();
        }
    }

    @AfterEach
    void stopThisTestsHubs() {
        for (HubProcess hub : List.copyOf(running)) {
            if (sharedHub == null || hub != sharedHub.hub()) {
                hub.close();
            }
        }
        assertNoRedisServerLeftBehind();
    }

    @AfterAll
    void stopEveryHub() {
        List.copyOf(running).forEach(HubProcess::close);
        assertNoRedisServerLeftBehind();
    }

    /** The hub tests 1 and 2 share, booted on first use, with one claim event that every group has acknowledged. */
    private HubWithEvent sharedHub() throws Exception {
        if (sharedHub == null) {
            Path workDir = Files.createDirectories(tmp.resolve("shared"));
            HubProcess hub = new HubProcess("shared", workDir, freshPorts(workDir));
            hub.awaitHealthy();
            RecordId entryId;
            try (RedisClient redis = new RedisClient(hub.redisPort())) {
                entryId = redis.template().opsForStream().add(MapRecord.create(DEFAULT_STREAM, claimSubmittedEntry()));
            }
            awaitEveryGroupAcknowledged(hub, DEFAULT_STREAM, entryId);
            sharedHub = new HubWithEvent(hub, entryId);
        }
        usedByThisTest.add(sharedHub.hub());
        return sharedHub;
    }

    private void stopSharedHub() {
        if (sharedHub != null) {
            sharedHub.hub().close();
            sharedHub = null;
        }
    }

    private static Map<String, String> claimSubmittedEntry() {
        return StreamEntryCodec.encode(EventEnvelope.of(ClaimEventFixtures.CLAIM_ID, ClaimEventFixtures.SUBMITTED_AT,
                ClaimEventFixtures.submission()), 1);
    }

    private static void awaitEveryGroupAcknowledged(HubProcess hub, String stream, RecordId entryId) {
        await("every group delivered and acknowledged " + entryId).atMost(EFFECT).pollInterval(POLL)
                .untilAsserted(() -> assertEveryGroupAcknowledged(hub, stream, entryId));
    }

    /** XINFO GROUPS: each group's last-delivered-id is the entry and nothing is pending. */
    private static void assertEveryGroupAcknowledged(HubProcess hub, String stream, RecordId entryId) {
        try (RedisClient redis = new RedisClient(hub.redisPort())) {
            Map<String, XInfoGroup> groups = redis.template().opsForStream().groups(stream).stream()
                    .collect(Collectors.toMap(XInfoGroup::groupName, g -> g));
            assertThat(groups).containsOnlyKeys(GROUPS);
            for (String name : GROUPS) {
                XInfoGroup group = groups.get(name);
                assertThat(group.lastDeliveredId()).as(name + " last-delivered-id").isEqualTo(entryId.getValue());
                assertThat(group.pendingCount()).as(name + " pending").isZero();
            }
        }
    }

    private static List<String> groupNames(RedisClient redis, String stream) {
        if (!Boolean.TRUE.equals(redis.template().hasKey(stream))) {
            return List.of();
        }
        return redis.template().opsForStream().groups(stream).stream().map(XInfoGroup::groupName).toList();
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("No health check " + name + " in " + health);
    }

    /** Environment for a hub on free ports of its own, with its embedded Redis data under workDir. */
    private static Map<String, String> freshPorts(Path workDir) {
        Map<String, String> env = new HashMap<>();
        env.put("CAMEL_SERVER_PORT", Integer.toString(TestRedis.freePort()));
        env.put("CAMEL_MANAGEMENT_PORT", Integer.toString(TestRedis.freePort()));
        env.put("HUB_REDIS_EMBEDDED_PORT", Integer.toString(TestRedis.freePort()));
        env.put("HUB_REDIS_EMBEDDED_DIR", workDir.resolve("data/redis").toString());
        return env;
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every stopped hub's redis-server has gone too; any that has not is killed and fails the test. */
    private void assertNoRedisServerLeftBehind() {
        List<ProcessHandle> servers = stopped.stream().flatMap(hub -> hub.redisServers().stream()).toList();
        stopped.clear();
        try {
            await("redis-server processes of stopped hubs gone").atMost(Duration.ofSeconds(10)).pollInterval(POLL)
                    .until(() -> servers.stream().noneMatch(ProcessHandle::isAlive));
        } catch (ConditionTimeoutException e) {
            List<ProcessHandle> left = servers.stream().filter(ProcessHandle::isAlive).toList();
            left.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError("redis-server processes still running after their hub stopped: " + left, e);
        }
    }

    private record HubWithEvent(HubProcess hub, RecordId entryId) {
    }

    /** A short-lived client on one hub's embedded Redis. */
    private static final class RedisClient implements AutoCloseable {
        private final JedisConnectionFactory factory;
        private final StringRedisTemplate template;

        RedisClient(int port) {
            factory = TestRedis.connectionFactory("redis://127.0.0.1:" + port);
            template = new StringRedisTemplate(factory);
            template.afterPropertiesSet();
        }

        StringRedisTemplate template() {
            return template;
        }

        @Override
        public void close() {
            factory.destroy();
        }
    }

    /** {@code java -jar claims-hub.jar} as a child process in its working directory, output to a log file. */
    private final class HubProcess {
        private static final Pattern PRINTED_KEY = Pattern.compile("=== API key: (chk_[A-Za-z0-9_-]+)");
        private static final Pattern EXCHANGES_TOTAL =
                Pattern.compile("(?m)^camel_exchanges_total\\{[^}]*routeId=\"([^\"]+)\"[^}]*} (\\S+)$");

        private final String name;
        private final Path workDir;
        private final Map<String, String> environment;
        private final Path log;
        private final Process process;
        private final Set<ProcessHandle> redisServers = new LinkedHashSet<>();

        HubProcess(String name, Path workDir, Map<String, String> environment) throws IOException {
            String jar = System.getProperty("hub.jar");
            assertThat(jar).as("system property hub.jar (set by failsafe)").isNotBlank();
            assertThat(Path.of(jar)).as("the shaded jar; mvn package builds it").isRegularFile();
            this.name = name;
            this.workDir = workDir;
            this.environment = Map.copyOf(environment);
            this.log = workDir.resolve("hub-" + name + ".log");
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // only the test's settings: no HUB_* or CAMEL_* variables leaking in from the CI environment
            builder.environment().keySet().removeIf(key -> key.startsWith("HUB_") || key.startsWith("CAMEL_"));
            builder.environment().putAll(environment);
            this.process = builder.start();
            running.add(this);
            usedByThisTest.add(this);
        }

        Path workDir() {
            return workDir;
        }

        Map<String, String> environment() {
            return environment;
        }

        int serverPort() {
            return Integer.parseInt(environment.get("CAMEL_SERVER_PORT"));
        }

        int managementPort() {
            return Integer.parseInt(environment.get("CAMEL_MANAGEMENT_PORT"));
        }

        int redisPort() {
            return Integer.parseInt(environment.get("HUB_REDIS_EMBEDDED_PORT"));
        }

        /** Waits for /observe/health to be UP, with Redis and every group's consumer UP. */
        void awaitHealthy() {
            await(name + " healthy on management port " + managementPort()).atMost(BOOT).pollInterval(Duration.ofMillis(500))
                    .failFast(name + " exited", () -> !process.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(() -> {
                        JsonNode health = health();
                        assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("UP");
                        assertThat(check(health, "redis").path("status").asText()).isEqualTo("UP");
                        for (String group : GROUPS) {
                            assertThat(check(health, "consumer:" + group).path("status").asText()).isEqualTo("UP");
                        }
                    });
            recordRedisServers();
        }

        JsonNode health() throws IOException, InterruptedException {
            return JSON.readTree(get("/observe/health"));
        }

        /** camel_exchanges_total of each consumer-group route, from /observe/metrics. */
        Map<String, Double> exchangesPerGroupRoute() throws IOException, InterruptedException {
            Map<String, Double> exchanges = new HashMap<>();
            Matcher matcher = EXCHANGES_TOTAL.matcher(get("/observe/metrics"));
            while (matcher.find()) {
                if (GROUPS.contains(matcher.group(1))) {
                    exchanges.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
                }
            }
            return exchanges;
        }

        private String get(String path) throws IOException, InterruptedException {
            // the metrics need the ops role: the administrator key the hub printed on its first start (quick start)
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + path))
                    .timeout(Duration.ofSeconds(5));
            if (!path.startsWith("/observe/health")) {
                builder.header("X-API-Key", printedApiKey());
            }
            HttpRequest request = builder.build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }

        /**
         * The administrator key a hub on this working directory printed on its first start, with no key configured
         * (the quick start); a restarted hub prints none, its Redis keeps the key's hash.
         */
        String printedApiKey() throws IOException {
            try (var logs = Files.list(workDir)) {
                for (Path file : logs.filter(f -> f.getFileName().toString().matches("hub-.*\\.log")).sorted().toList()) {
                    Matcher printed = PRINTED_KEY.matcher(Files.readString(file));
                    if (printed.find()) {
                        return printed.group(1);
                    }
                }
            }
            throw new AssertionError("no API key printed by a hub in " + workDir);
        }

        /** The redis-server processes this hub started, as recorded while it ran. */
        List<ProcessHandle> redisServers() {
            recordRedisServers();
            return List.copyOf(redisServers);
        }

        private void recordRedisServers() {
            process.descendants()
                    .filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false))
                    .forEach(redisServers::add);
        }

        /** SIGTERM, then the exit code once it has shut down. */
        int stop() throws InterruptedException {
            recordRedisServers();
            process.destroy();
            if (!process.waitFor(EFFECT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not exit within " + EFFECT + " of SIGTERM");
            }
            running.remove(this);
            stopped.add(this);
            return process.exitValue();
        }

        /** Stops the hub whatever its state: SIGTERM, then SIGKILL if it has not exited within 30 s. */
        void close() {
            if (!running.remove(this)) {
                return;
            }
            stopped.add(this);
            recordRedisServers();
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        void printLog() {
            try {
                System.out.println("===== hub " + name + ": " + log + " =====");
                System.out.println(Files.readString(log));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
