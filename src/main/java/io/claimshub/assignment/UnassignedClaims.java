package io.claimshub.assignment;

import io.claimshub.store.ProcessingKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import io.claimshub.store.RedisTemplates;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;

/**
 * Submitted claims no eligible adjuster had room for, oldest submission first ({@code claims:unassigned}). A claim
 * leaves the queue when its assignment is tracked; the queue is retried when capacity frees or the roster changes.
 */
public final class UnassignedClaims {

    /** One waiting claim. */
    public record UnassignedClaim(String claimId, Instant submittedAt) {
    }

    private final StringRedisTemplate redis;
    private final ProcessingKeys keys;

    public UnassignedClaims(RedisConnectionFactory connectionFactory, ProcessingKeys keys) {
        this.keys = keys;
        this.redis = RedisTemplates.strings(connectionFactory);
    }

    /** Queues the claim; queuing it again keeps its place. */
    public void enqueue(String claimId, Instant submittedAt) {
        redis.opsForZSet().addIfAbsent(keys.unassigned(), claimId, submittedAt.toEpochMilli());
    }

    /** Takes the claim off the queue, e.g. when it turns out to be decided already. */
    public void remove(String claimId) {
        redis.opsForZSet().remove(keys.unassigned(), claimId);
    }

    /** Every waiting claim, oldest submission first. */
    public List<UnassignedClaim> list() {
        return oldest(-1);
    }

    /** The {@code limit} claims waiting longest. */
    public List<UnassignedClaim> oldest(int limit) {
        Set<ZSetOperations.TypedTuple<String>> entries =
                redis.opsForZSet().rangeWithScores(keys.unassigned(), 0, limit < 0 ? -1 : limit - 1);
        List<UnassignedClaim> claims = new ArrayList<>();
        if (entries != null) {
            entries.forEach(entry -> claims.add(new UnassignedClaim(entry.getValue(),
                    Instant.ofEpochMilli(entry.getScore().longValue()))));
        }
        return claims;
    }

    /** How many claims wait for an adjuster (the {@code claimshub.claims.unassigned} gauge). */
    public long count() {
        Long size = redis.opsForZSet().zCard(keys.unassigned());
        return size == null ? 0 : size;
    }
}
