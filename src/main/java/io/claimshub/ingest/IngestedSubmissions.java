package io.claimshub.ingest;

import java.time.Duration;
import java.util.Optional;
import io.claimshub.store.RedisTemplates;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Remembers which claim each ingested submission line opened, keyed by the line's content hash, for longer than the
 * store's 24-hour idempotency window: legacy exports are often re-sent days later. The one place the key
 * {@code ingest:submission:{<sha256>}} is built.
 */
public final class IngestedSubmissions {

    private final StringRedisTemplate redis;
    private final Duration retention;

    public IngestedSubmissions(RedisConnectionFactory connectionFactory, Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("ingested submissions must be remembered for some time; was " + retention);
        }
        this.redis = RedisTemplates.strings(connectionFactory);
        this.retention = retention;
    }

    /** The claim a line with this content hash opened, if it was ingested within the retention. */
    public Optional<String> claimOf(String contentHash) {
        return Optional.ofNullable(redis.opsForValue().get(key(contentHash)));
    }

    public void remember(String contentHash, String claimId) {
        redis.opsForValue().set(key(contentHash), claimId, retention);
    }

    static String key(String contentHash) {
        return "ingest:submission:{" + contentHash + "}";
    }
}
