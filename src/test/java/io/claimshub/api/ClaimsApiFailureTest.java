package io.claimshub.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import redis.clients.jedis.exceptions.JedisConnectionException;

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
    void onlyJsonMediaTypesAreAccepted() {
        assertThat(ClaimsApi.isJson("application/json")).isTrue();
        assertThat(ClaimsApi.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(ClaimsApi.isJson("application/merge-patch+json")).isTrue();
        assertThat(ClaimsApi.isJson("text/plain")).isFalse();
        assertThat(ClaimsApi.isJson(null)).isFalse();
    }
}
