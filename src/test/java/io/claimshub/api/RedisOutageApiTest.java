package io.claimshub.api;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.EventJson;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisException;
import redis.embedded.RedisServer;

/**
 * The hub's REST API while its Redis is down or frozen: a 503 problem with Retry-After, within the configured Redis
 * timeout however many requests are waiting, and a few log lines rather than a stack trace per request.
 * Not repeated against Redis 7 in CI: it stops and freezes an embedded Redis of its own, whatever REDIS_URL says.
 */
class RedisOutageApiTest {

    private static final long TIMEOUT_MILLIS = 1000;
    // scheduling on a busy machine: the answer is due at the timeout, give it this much more (still well under the
    // five-timeout freeze that requests queued behind blocked workers used to wait out)
    private static final long SLACK_MILLIS = 1500;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;
    private int redisPort;
    private RedisServer redis;
    private TestHub hub;
    private String eventsStream;

    @BeforeEach
    void startHubOnItsOwnRedis() throws Exception {
        redisPort = TestRedis.freePort();
        redis = TestRedis.newPrivateServer(redisPort, dataDir);
        redis.start();
        eventsStream = TestRedis.uniqueKey("outage-events");
        hub = TestHub.start(Map.of(
                "hub.redis.url", "redis://127.0.0.1:" + redisPort,
                "hub.redis.timeout", Long.toString(TIMEOUT_MILLIS),
                "hub.consumer.block", "200",
                "hub.events.stream", eventsStream,
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
        // given Redis frozen for five timeouts, and more requests than connections and HTTP workers
        try (Jedis admin = new Jedis("127.0.0.1", redisPort)) {
            admin.clientPause(5 * TIMEOUT_MILLIS);
        }
        // when they are all sent at once
        List<CompletableFuture<Long>> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long started = System.nanoTime();
            requests.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(hub.apiBase() + "/api/claims/CLM-ABCD1234")).header("X-API-Key", TestHub.API_KEY)
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
    void submissionsAnswered503WhileRedisIsFrozenDoNotQueueAndAreNeverApplied() throws Exception {
        // given Redis frozen for writes until the test lets it go (CLIENT UNPAUSE is not a write)
        try (Jedis admin = new Jedis("127.0.0.1", redisPort)) {
            admin.clientPause(60_000, ClientPauseMode.WRITE);
        }
        try {
            // when ten times more submissions than HTTP workers are sent at once, each its own claim (no key), each
            // on its own connection (HTTP/2 would cap the streams of one connection)
            HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<String>>> submissions = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                submissions.add(http1.sendAsync(submission("Frozen " + i), HttpResponse.BodyHandlers.ofString()));
            }

            // expect each answered 503, and none of them left waiting for Redis: they are not run once answered
            for (CompletableFuture<HttpResponse<String>> submission : submissions) {
                assertThat(submission.get().statusCode()).isEqualTo(503);
            }
            await().atMost(Duration.ofMillis(5 * TIMEOUT_MILLIS))
                    .until(() -> hub.context().getInflightRepository().size() == 0);
        } finally {
            try (Jedis admin = new Jedis("127.0.0.1", redisPort)) {
                admin.clientUnpause();
            }
        }

        // and once Redis is back, only a new submission is stored
        assertThat(HTTP.send(submission("After the freeze"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(202);
        try (Jedis redis = new Jedis("127.0.0.1", redisPort)) {
            assertThat(redis.xrange(eventsStream, "-", "+"))
                    .filteredOn(entry -> "claim.submitted".equals(entry.getFields().get("eventType")))
                    .hasSize(1);
        }
    }

    private HttpRequest submission(String description) {
        ObjectNode body = EventJson.toObjectNode(ClaimEventFixtures.submission()).put("description", description);
        return HttpRequest.newBuilder(URI.create(hub.apiBase() + "/api/claims")).header("X-API-Key", TestHub.API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EventJson.write(body)))
                .build();
    }

    @Test
    void aRequestWhileRedisIsBusyRunningAScriptIsA503ProblemWithRetryAfter() throws Exception {
        // given Redis busy with a script past its time limit, so that it answers BUSY to every other command
        try (Jedis admin = new Jedis("127.0.0.1", redisPort)) {
            admin.configSet("lua-time-limit", "50");
        }
        CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
            try (Jedis busy = new Jedis("127.0.0.1", redisPort, 0)) {
                busy.eval("while true do end", 0);
            } catch (JedisException killed) {
                // SCRIPT KILL below
            }
        });
        try {
            try (Jedis probe = new Jedis("127.0.0.1", redisPort)) {
                await().atMost(Duration.ofSeconds(10)).ignoreExceptionsMatching(e -> !(e instanceof JedisBusyException))
                        .until(() -> {
                            try {
                                probe.ping();
                                return false;
                            } catch (JedisBusyException busy) {
                                return true;
                            }
                        });
            }

            // when
            HttpResponse<String> response = get("/api/claims/CLM-ABCD1234");

            // expect a 503 of the store, not of the timeout
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).contains("store is unavailable");
        } finally {
            try (Jedis admin = new Jedis("127.0.0.1", redisPort)) {
                admin.scriptKill();
            }
            script.get();
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
            return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).header("X-API-Key", TestHub.API_KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
