package io.claimshub.privacy;

import io.claimshub.store.ClaimKeys;
import io.claimshub.store.RedisTemplates;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Retention of personal data after closure: a claimant whose claims are all closed (paid or rejected), the latest
 * closure more than {@code hub.security.personal-data-retention-days} ago, is erased as by the erasure endpoint
 * (crypto-shredding, audited). Run by the {@code personal-data-retention} route; one instance at a time holds the
 * lease, so two hubs do not both work through the same claimants (an erasure twice would do nothing worse than
 * nothing: it is idempotent).
 */
public final class PersonalDataRetention {

    private static final Logger LOG = LoggerFactory.getLogger(PersonalDataRetention.class);
    private static final int BATCH = 100;
    private static final Duration SUBMISSION_GRACE = Duration.ofHours(1);
    private static final RedisScript<Long> DROP_IF_UNCHANGED = new DefaultRedisScript<>(
            "local s = redis.call('ZSCORE', KEYS[1], ARGV[1]) if s and tonumber(s) == tonumber(ARGV[2]) then"
                    + " return redis.call('ZREM', KEYS[1], ARGV[1]) end return 0", Long.class);
    private static final RedisScript<Long> RELEASE = new DefaultRedisScript<>(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", Long.class);

    private final PersonalData personalData;
    private final StringRedisTemplate redis;
    private final Duration retention;
    private final Duration lease;
    private final String owner;
    private final Clock clock;

    public PersonalDataRetention(PersonalData personalData, RedisConnectionFactory connectionFactory,
                                 Duration retention, Duration lease, String owner, Clock clock) {
        this.personalData = personalData;
        this.redis = RedisTemplates.strings(connectionFactory);
        this.retention = retention;
        this.lease = lease;
        this.owner = owner;
        this.clock = clock;
    }

    /** One run: the claimants due, erased; answers how many were erased (0 when another instance holds the lease). */
    public int run() {
        if (!personalData.enabled()) {
            return 0;
        }
        if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(PersonalDataKeys.RETENTION_LEASE, owner, lease))) {
            return 0;
        }
        int erased = 0;
        try {
            long due = clock.millis() - retention.toMillis();
            Set<org.springframework.data.redis.core.ZSetOperations.TypedTuple<String>> claimants =
                    redis.opsForZSet().rangeByScoreWithScores(PersonalDataKeys.RETENTION, Double.NEGATIVE_INFINITY,
                            due, 0, BATCH);
            if (claimants == null) {
                return 0;
            }
            for (var entry : claimants) {
                String pseudonym = entry.getValue();
                if (stillOpen(pseudonym)) {
                    // erased once the last open claim closes (which sets the clock again)
                    redis.execute(DROP_IF_UNCHANGED, List.of(PersonalDataKeys.RETENTION), pseudonym,
                            scoreText(entry.getScore()));
                    continue;
                }
                if (personalData.erase(pseudonym, "hub:retention", "retention of " + retention.toDays()
                        + " days after the claims' closure").isPresent()) {
                    erased++;
                } else {
                    redis.opsForZSet().remove(PersonalDataKeys.RETENTION, pseudonym);
                }
            }
        } finally {
            redis.execute(RELEASE, List.of(PersonalDataKeys.RETENTION_LEASE), owner);
        }
        if (erased > 0) {
            LOG.info("Retention: personal data of {} claimant(s) erased, {} days after their claims closed", erased,
                    retention.toDays());
        }
        return erased;
    }

    /**
     * Whether the claimant has a claim still open. A claim counted open whose stream does not exist is one whose
     * submission failed after its key was opened: dropped once it is older than {@link #SUBMISSION_GRACE} (a younger
     * one may be a submission still in flight).
     */
    private boolean stillOpen(String pseudonym) {
        String key = PersonalDataKeys.openClaims(pseudonym);
        Map<Object, Object> open = redis.opsForHash().entries(key);
        boolean any = false;
        for (Map.Entry<Object, Object> claim : open.entrySet()) {
            String claimId = claim.getKey().toString();
            long openedAt = parseOrZero(claim.getValue().toString());
            if (Boolean.TRUE.equals(redis.hasKey(ClaimKeys.claimStream(claimId)))
                || clock.millis() - openedAt < SUBMISSION_GRACE.toMillis()) {
                any = true;
            } else {
                redis.opsForHash().delete(key, claimId);
            }
        }
        return any;
    }

    private static long parseOrZero(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String scoreText(Double score) {
        return score == null ? "" : Long.toString(score.longValue());
    }
}
