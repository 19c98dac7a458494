package io.claimshub.api;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * The hub's REST API while its Redis is down or frozen: a 503 problem with Retry-After, within the configured Redis
 * timeout however many requests are waiting, and a few log lines rather than a stack trace per request.
 */
@Tag("redis")
class RedisOutageApiTest {

    private static final long TIMEOUT_MILLIS = 1000;
    // scheduling on a busy machine: the answer is due at the timeout, give it this much more
    private static final long SLACK_MILLIS = 750;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;
    private int redisPort;
    private RedisServer redis;
    private TestHub hub;

    @BeforeEach
    void startHubOnItsOwnRedis() throws Exception {
        redisPort = TestRedis.freePort();
        redis = TestRedis.newPrivateServer(redisPort, dataDir);
        redis.start();
        hub = TestHub.start(Map.of(
                "hub.redis.url", "redis://127.0.0.1:" + redisPort,
                "hub.redis.timeout", Long.toString(TIMEOUT_MILLIS),
                "hub.consumer.block", "200",
                "hub.events.stream", TestRedis.uniqueKey("outage-events"),
                "hub.consumer.name", "outage-test",
                "hub.ingest.enabled", "false",
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml")));
    }

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        redis.stop();
    }

    @Test
    void aRequestWhileRedisIsDownIsA503ProblemWithRetryAfter() throws Exception {
        // given
        redis.stop();

        // when
        long started = System.nanoTime();
        HttpResponse<String> response = get("/api/claims/CLM-ABCD1234");
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        // expect
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        assertThat(response.body()).contains("\"status\":503");
        assertThat(elapsedMillis).isLessThan(TIMEOUT_MILLIS + SLACK_MILLIS);
    }

    @Test
    void noRequestWaitsLongerThanTheRedisTimeoutWhileRedisIsFrozen() throws Exception {
        // given Redis frozen for three timeouts, and more requests than connections and HTTP workers
        try (Jedis admin = new Jedis("127.0.0.1", redisPort)) {
            admin.clientPause(3 * TIMEOUT_MILLIS);
        }
        // when they are all sent at once
        List<CompletableFuture<Long>> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long started = System.nanoTime();
            requests.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(hub.apiBase() + "/api/claims/CLM-ABCD1234"))
                    .build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                        assertThat(response.statusCode()).isEqualTo(503);
                        assertThat(response.headers().firstValue("Retry-After")).isPresent();
                        return (System.nanoTime() - started) / 1_000_000;
                    }));
        }

        // expect each answered 503 within the timeout
        for (CompletableFuture<Long> request : requests) {
            assertThat(request.get()).isLessThan(TIMEOUT_MILLIS + SLACK_MILLIS);
        }
    }

    @Test
    void anOutageBurstLogsOneLinePerFailureKindWithoutStackTraces() throws Exception {
        // given the API's log captured, and Redis down
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger apiLog = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.claimshub.api");
        log.start();
        apiLog.addAppender(log);
        redis.stop();
        try {
            // when 100 requests fail on it
            for (int i = 0; i < 100; i++) {
                assertThat(get("/api/claims/CLM-ABCD1234").statusCode()).isGreaterThanOrEqualTo(500);
            }
        } finally {
            apiLog.detachAppender(log);
        }

        // expect one line for the kind of failure, and stack traces only at DEBUG
        List<ILoggingEvent> lines = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
        assertThat(lines).hasSizeLessThanOrEqualTo(1);
        assertThat(lines).allSatisfy(line -> assertThat(line.getThrowableProxy()).isNull());
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
