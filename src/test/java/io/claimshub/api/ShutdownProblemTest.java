package io.claimshub.api;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * A request that arrives while the hub is shutting down is a 503 problem with Retry-After. Not repeated against Redis
 * 7 in CI: it runs on an embedded Redis of its own, whatever REDIS_URL says.
 */
class ShutdownProblemTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;
    private RedisServer redis;

    @AfterEach
    void stopRedis() throws Exception {
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void aRequestDuringShutdownIsA503Problem() throws Exception {
        // given a hub whose shutdown waits for a request held up by a frozen Redis
        int redisPort = TestRedis.freePort();
        redis = TestRedis.newPrivateServer(redisPort, dataDir);
        redis.start();
        TestHub hub = TestHub.start(Map.of(
                "hub.redis.url", "redis://127.0.0.1:" + redisPort,
                "hub.redis.timeout", "4000",
                "hub.consumer.block", "200",
                "hub.events.stream", TestRedis.uniqueKey("shutdown-events"),
                "hub.consumer.name", "shutdown-test",
                "hub.ingest.enabled", "false",
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml")));
        String base = hub.apiBase();
        try (Jedis admin = new Jedis("127.0.0.1", redisPort)) {
            admin.clientPause(6000);
        }
        CompletableFuture<HttpResponse<String>> heldUp = HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/api/claims/CLM-ABCD1234")).header("X-API-Key", TestHub.API_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.context().getInflightRepository().size() > 0);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(hub::close);
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.context().isStopping());

        // when a request that needs no Redis arrives meanwhile
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/claims/not-a-claim-id")).header("X-API-Key", TestHub.API_KEY).build(),
                HttpResponse.BodyHandlers.ofString());

        // expect
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).contains("\"status\":503");
        heldUp.get();
        stopping.get();
    }
}
