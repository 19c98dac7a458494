package io.claimshub.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.claimshub.store.IngestKeys;
import io.claimshub.store.RedisTemplates;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Remembers which claim each ingested submission line opened, keyed by the line's content hash
 * ({@link IngestKeys#rememberedSubmission}), for longer than the store's 24-hour idempotency window: legacy exports
 * are often re-sent days later. A chunk of lines is looked up, and remembered, in one pipelined round trip each.
 *
 * <p>Not camel-spring-redis's {@code SpringRedisStringIdempotentRepository}, though it has an expiry: its
 * {@code contains} and {@code add} cost a round trip per line and cannot be pipelined, which would undo the chunks.
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

    /** Which of these content hashes were ingested within the retention: one pipelined round trip. */
    public Set<String> rememberedOf(List<String> contentHashes) {
        if (contentHashes.isEmpty()) {
            return Set.of();
        }
        List<Object> claims = redis.executePipelined((RedisCallback<Object>) connection -> {
            contentHashes.forEach(hash -> connection.stringCommands().get(bytes(IngestKeys.rememberedSubmission(hash))));
            return null;
        });
        Set<String> remembered = new HashSet<>();
        for (int i = 0; i < contentHashes.size(); i++) {
            if (claims.get(i) != null) {
                remembered.add(contentHashes.get(i));
            }
        }
        return remembered;
    }

    /** {@link #remember} of each content hash and the claim it opened: one pipelined round trip. */
    public void rememberAll(Map<String, String> claimsByContentHash) {
        if (claimsByContentHash.isEmpty()) {
            return;
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>(claimsByContentHash.entrySet());
        redis.executePipelined((RedisCallback<Object>) connection -> {
            entries.forEach(entry -> connection.stringCommands().set(bytes(IngestKeys.rememberedSubmission(entry.getKey())), bytes(entry.getValue()),
                    Expiration.from(retention), RedisStringCommands.SetOption.upsert()));
            return null;
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
