package io.claimshub.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per caller (key name or token subject), a token bucket each: {@code perSecond} refill, {@code burst}
 * capacity. Kept in this instance's memory: behind a load balancer each instance allows its share. 0 per second
 * turns it off.
 */
public final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public RateLimiter(double perSecond, double burst, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.nanos = nanos;
    }

    /** 0 when the request may go; else the whole seconds (at least 1) after which it would be let in. */
    public long acquire(String subject) {
        if (perSecond <= 0) {
            return 0;
        }
        long now = nanos.getAsLong();
        if (buckets.size() > 100_000) {
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(subject, s -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1e9 * perSecond);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
        }
    }
}
