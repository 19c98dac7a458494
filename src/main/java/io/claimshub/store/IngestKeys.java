package io.claimshub.store;

/**
 * The one place the file ingress's keys are built. A file line's identity is the SHA-256 (hex) of its content
 * ({@code contentHash}); it names both the line's idempotency key in the store and what the ingress remembers of it.
 */
public final class IngestKeys {

    private static final String IDEMPOTENCY_KEY_PREFIX = "ingest:";

    private IngestKeys() {
    }

    /**
     * {@code ingest:<sha256>}: the idempotency key a submission line is stored under ({@link ClaimCommands#submit}),
     * so its store record answers a retry within the store's window.
     */
    public static String idempotencyKey(String contentHash) {
        return IDEMPOTENCY_KEY_PREFIX + contentHash;
    }

    /**
     * {@code ingest:submission:{<sha256>}}: the string key holding the claim a submission line opened, kept for
     * {@code hub.ingest.remember-days}. The content hash is the key's hash tag.
     */
    public static String rememberedSubmission(String contentHash) {
        return "ingest:submission:{" + contentHash + "}";
    }
}
