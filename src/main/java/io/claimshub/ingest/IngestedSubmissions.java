package io.claimshub.ingest;

import io.claimshub.store.IngestKeys;
import java.time.Duration;

/**
 * How long the ingress remembers which claim each ingested submission line opened, keyed by the line's content hash
 * ({@link IngestKeys#rememberedSubmission}): longer than the store's 24-hour idempotency window, since legacy exports
 * are often re-sent days later. The store looks the keys up, and sets them, in the same atomic step as each line's
 * append ({@link io.claimshub.store.ClaimCommands#submitRemembered}).
 *
 * <p>Not camel-spring-redis's {@code SpringRedisStringIdempotentRepository}, though it has an expiry: its
 * {@code contains} and {@code add} are a round trip each per line, outside the append's atomic step, which would
 * both undo the chunks and reopen the gap between storing a line and remembering it.
 */
public final class IngestedSubmissions {

    private final Duration retention;

    public IngestedSubmissions(Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("ingested submissions must be remembered for some time; was " + retention);
        }
        this.retention = retention;
    }

    /** How long a line's claim is remembered ({@code hub.ingest.remember-days}). */
    public Duration retention() {
        return retention;
    }
}
