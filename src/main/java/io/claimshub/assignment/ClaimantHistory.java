package io.claimshub.assignment;

import io.claimshub.store.ProcessingKeys;
import io.claimshub.store.RedisScripts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import io.claimshub.store.RedisTemplates;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/** Submissions per claimant email, for the repeat-claimant fraud indicator ({@code claimant:{email}:claims}). */
public final class ClaimantHistory {

    private static final RedisScript<Long> RECORD_AND_COUNT = RedisScripts.number("redis/count-claimant-claims.lua");

    private final StringRedisTemplate redis;
    private final ProcessingKeys keys;

    public ClaimantHistory(RedisConnectionFactory connectionFactory, ProcessingKeys keys) {
        this.keys = keys;
        this.redis = RedisTemplates.strings(connectionFactory);
    }

    /**
     * Records the claim under its claimant (idempotent by claim id) and answers how many of the claimant's claims were
     * submitted within {@code window} up to and including this one.
     */
    public int recordAndCount(String email, String claimId, Instant submittedAt, Duration window) {
        Long count = redis.execute(RECORD_AND_COUNT, List.of(keys.claimantClaims(email)), claimId,
                Long.toString(submittedAt.toEpochMilli()), Long.toString(window.toMillis()));
        return count == null ? 1 : count.intValue();
    }
}
