package io.claimshub.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.RedisConnectionFailureException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** A failure inside the hub is answered without its details, under a correlation id the log also has. */
class ClaimsApiFailureTest {

    private final ClaimsApi api = new ClaimsApi(null, null, null, 262_144);

    @Test
    void aFailureIsAGeneric500ProblemWithACorrelationId() {
        ApiResponse response = api.failure(new IllegalStateException("redis password is s3cret"));

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        String correlationId = response.body().get("correlationId").asText();
        assertThat(correlationId).isNotBlank();
        assertThat(response.body().get("detail").asText()).contains(correlationId);
        assertThat(response.body().toString()).doesNotContain("s3cret", "IllegalStateException", "at io.");
    }

    @Test
    void anUnreachableRedisIsA503ProblemWithRetryAfter() {
        ApiResponse response = api.failure(new RedisConnectionFailureException("Cannot get Jedis connection",
                new JedisConnectionException("Failed to connect to 127.0.0.1:6379")));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.headers()).containsKey("Retry-After");
        assertThat(response.body().toString()).doesNotContain("Jedis", "6379");
    }

    @Test
    void everyInternalFailureIsLoggedWithItsCorrelationIdAndClassButNotItsMessage() {
        // given the API's log captured
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger apiLog = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ClaimsApi.class);
        log.start();
        apiLog.addAppender(log);
        List<String> correlationIds = new ArrayList<>();
        try {
            // when the same kind of failure answers three requests in a row
            for (int i = 0; i < 3; i++) {
                ApiResponse response = api.failure(new IllegalStateException("redis password is s3cret"));
                correlationIds.add(response.body().get("correlationId").asText());
            }
        } finally {
            apiLog.detachAppender(log);
        }

        // expect each correlation id a client may quote in the log at ERROR, with the class, without message or trace
        List<ILoggingEvent> errors = log.list.stream().filter(line -> line.getLevel() == Level.ERROR).toList();
        assertThat(errors).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(errors.get(i).getFormattedMessage()).contains(correlationIds.get(i), "IllegalStateException")
                    .doesNotContain("s3cret");
            assertThat(errors.get(i).getThrowableProxy()).isNull();
        }
    }

    @Test
    void redisRepliesThatMeanNotNowAre503ProblemsWithRetryAfter() {
        for (String reply : List.of("LOADING Redis is loading the dataset in memory",
                "READONLY You can't write against a read only replica.",
                "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.",
                "TRYAGAIN Multiple keys request during rehashing of slot")) {
            ApiResponse response = api.failure(new RedisSystemException("Error in execution",
                    new JedisDataException(reply)));

            assertThat(response.status()).as(reply).isEqualTo(503);
            assertThat(response.headers()).as(reply).containsKey("Retry-After");
        }
        assertThat(api.failure(new RedisSystemException("Error in execution",
                new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value"))).status())
                .isEqualTo(500);
    }

    @Test
    void onlyJsonMediaTypesAreAccepted() {
        assertThat(ClaimsApi.isJson("application/json")).isTrue();
        assertThat(ClaimsApi.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(ClaimsApi.isJson("application/merge-patch+json")).isTrue();
        assertThat(ClaimsApi.isJson("text/plain")).isFalse();
        assertThat(ClaimsApi.isJson(null)).isFalse();
    }
}
