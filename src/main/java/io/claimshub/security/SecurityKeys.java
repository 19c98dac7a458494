package io.claimshub.security;

/**
 * The one place the security capability's Redis key patterns are built, under an optional namespace
 * ({@code hub.security.namespace}): the API keys' hashes and the access audit stream.
 */
public final class SecurityKeys {

    private final String prefix;

    public SecurityKeys(String namespace) {
        this.prefix = namespace == null || namespace.isBlank() ? "" : namespace.trim() + ":";
    }

    /**
     * {@code auth:api-keys}: a hash, field = SHA-256 (hex) of an API key, value = JSON {@code {name, roles,
     * adjusterId?, createdAt}}. The key itself is never stored.
     */
    public String apiKeys() {
        return prefix + "auth:api-keys";
    }

    /** {@code audit:access}: the access audit stream, one entry per API request (fields in {@link AccessAudit}). */
    public String accessAudit() {
        return prefix + "audit:access";
    }
}
