package io.claimshub.sla;

import io.claimshub.event.ClaimSlaBreached;
import io.claimshub.store.ProcessingKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import io.claimshub.store.RedisTemplates;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;

/** The most recent SLA breaches, newest first ({@code sla:breaches}, capped); the claims' streams hold them all. */
public final class SlaBreaches {

    /** One missed deadline. */
    public record SlaBreach(String claimId, String adjusterId, Instant slaDeadline, Instant breachedAt) {
    }

    private final StringRedisTemplate redis;
    private final ProcessingKeys keys;
    private final int kept;

    public SlaBreaches(RedisConnectionFactory connectionFactory, ProcessingKeys keys, int kept) {
        if (kept < 1) {
            throw new IllegalArgumentException("hub.sla.breaches-kept must be at least 1, was " + kept);
        }
        this.keys = keys;
        this.kept = kept;
        this.redis = RedisTemplates.strings(connectionFactory);
    }

    /** Lists a breach once, however often it is recorded (by the scheduler and again from its event). */
    public void record(String claimId, ClaimSlaBreached breach) {
        String member = claimId + " " + breach.adjusterId() + " " + breach.slaDeadline();
        redis.opsForZSet().addIfAbsent(keys.slaBreaches(), member, breach.breachedAt().toEpochMilli());
        redis.opsForZSet().removeRange(keys.slaBreaches(), 0, -(kept + 1L));
    }

    /** Up to {@code limit} breaches, the latest first. */
    public List<SlaBreach> recent(int limit) {
        Set<ZSetOperations.TypedTuple<String>> entries =
                redis.opsForZSet().reverseRangeWithScores(keys.slaBreaches(), 0, Math.max(0, limit - 1L));
        List<SlaBreach> breaches = new ArrayList<>();
        if (entries != null && limit > 0) {
            for (ZSetOperations.TypedTuple<String> entry : entries) {
                String[] parts = entry.getValue().split(" ");
                breaches.add(new SlaBreach(parts[0], parts[1], Instant.parse(parts[2]),
                        Instant.ofEpochMilli(entry.getScore().longValue())));
            }
        }
        return breaches;
    }
}
