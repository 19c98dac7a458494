package io.claimshub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.HubApplication;
import io.claimshub.security.ApiKeys;
import io.claimshub.security.SecurityKeys;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * API keys from start to end: the quick start's administrator key (printed once, only its hash stored), keys made
 * and revoked with {@code java -jar claims-hub.jar keys ...} (HubApplication's command path, against the test Redis),
 * and the per-key rate limit (429 with Retry-After).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyLifecycleTest {

    private static final Pattern PRINTED = Pattern.compile("=== API key: (chk_[A-Za-z0-9_-]{43})");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String stream = TestRedis.uniqueKey("keys-events");
    private final String namespace = TestRedis.uniqueKey("keys");
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private TestHub hub;

    @BeforeAll
    void bootHubWithNoKeyConfigured() throws Exception {
        PrintStream realConsole = SecurityBeans.console;
        SecurityBeans.console = new PrintStream(console, true, StandardCharsets.UTF_8);
        try {
            hub = TestHub.start(Map.of("hub.events.stream", stream, "hub.ingest.enabled", "false",
                    "hub.security.namespace", namespace, "hub.api.bootstrap-key", "",
                    "hub.api.key-cache-millis", "200",
                    "hub.api.rate-limit.per-second", "1", "hub.api.rate-limit.burst", "3"));
        } finally {
            SecurityBeans.console = realConsole;
        }
    }

    @AfterAll
    void stop() {
        TestHub.stop(hub, stream);
        TestRedis.template().delete(List.of(new SecurityKeys(namespace).apiKeys(),
                new SecurityKeys(namespace).accessAudit()));
    }

    @Test
    void theFirstStartWithNoKeyPrintsOneAdministratorKeyAndStoresOnlyItsHash() throws Exception {
        String printed = console.toString(StandardCharsets.UTF_8);
        Matcher key = PRINTED.matcher(printed);
        assertThat(key.find()).as(printed).isTrue();
        String adminKey = key.group(1);
        assertThat(printed).contains("curl -H 'X-API-Key: " + adminKey + "'");

        Map<Object, Object> stored = TestRedis.template().opsForHash().entries(new SecurityKeys(namespace).apiKeys());
        assertThat(stored).containsKey(ApiKeys.hash(adminKey));
        assertThat(stored.toString()).doesNotContain(adminKey).contains("\"name\":\"admin\"");
        // an administrator: every role
        assertThat(get("/api/ops/streams", adminKey).statusCode()).isEqualTo(200);
        // and as Prometheus sends it: a bearer token, on the management port
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(hub.managementBase() + "/observe/metrics"))
                .header("Authorization", "Bearer " + adminKey).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("camel_exchanges_total");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(hub.managementBase() + "/observe/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void aKeyCreatedWithTheCommandWorksUntilItIsRevoked() throws Exception {
        Map<String, String> settings = Map.of("hub.redis.url", TestRedis.url(), "hub.security.namespace", namespace);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int created = HubApplication.keys(new String[] {"keys", "create", "--name", "etl", "--roles", "intake"},
                settings, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true));

        assertThat(created).as(err.toString()).isZero();
        String etlKey = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("chk_")).findFirst()
                .orElseThrow();
        assertThat(TestRedis.template().opsForHash().entries(new SecurityKeys(namespace).apiKeys()).toString())
                .doesNotContain(etlKey);
        assertThat(get("/api/claims/CLM-AAAAAAAA", etlKey).statusCode()).isEqualTo(404);
        // intake only
        assertThat(get("/api/ops/streams", etlKey).statusCode()).isEqualTo(403);

        out.reset();
        assertThat(HubApplication.keys(new String[] {"keys", "list"}, settings,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("etl\troles=intake").doesNotContain(etlKey);
        assertThat(HubApplication.keys(new String[] {"keys", "create", "--name", "etl", "--roles", "ops"}, settings,
                new PrintStream(out), new PrintStream(err))).as("a name in use").isEqualTo(1);

        assertThat(HubApplication.keys(new String[] {"keys", "revoke", "--name", "etl"}, settings,
                new PrintStream(out), new PrintStream(err))).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/claims/CLM-AAAAAAAA", etlKey).statusCode() == 401);
        assertThat(HubApplication.keys(new String[] {"keys", "revoke", "--name", "etl"}, settings,
                new PrintStream(out), new PrintStream(err))).as("already revoked").isEqualTo(1);
    }

    @Test
    void aKeyOverItsRateLimitIsAnsweredTooManyRequestsWithRetryAfter() throws Exception {
        String fast = new ApiKeys(TestRedis.template(), new SecurityKeys(namespace), java.time.Clock.systemUTC(), 0)
                .create("fast", java.util.EnumSet.of(io.claimshub.security.Role.OPS), null);
        String calm = new ApiKeys(TestRedis.template(), new SecurityKeys(namespace), java.time.Clock.systemUTC(), 0)
                .create("calm", java.util.EnumSet.of(io.claimshub.security.Role.OPS), null);
        HttpResponse<String> last = null;
        for (int i = 0; i < 6 && (last == null || last.statusCode() != 429); i++) {
            last = get("/api/ops/streams", fast);
        }

        assertThat(last.statusCode()).as(last.body()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(last.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        // per key: another caller is not held back
        assertThat(get("/api/ops/streams", calm).statusCode()).isEqualTo(200);
        // and the limit refills
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/api/ops/streams", fast).statusCode() == 200);
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).header("X-API-Key", key).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
