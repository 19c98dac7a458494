package io.claimshub.integration;

/**
 * The Redis key patterns of the legacy adapters (the {@code integrations} group and the work streams it hands to the
 * policy and payment adapters), built here and nowhere else. A non-empty namespace ({@code hub.integrations.namespace})
 * prefixes every key, so two hubs (or tests) can share a Redis. No key name holds personal data.
 */
public final class IntegrationKeys {

    private final String prefix;

    public IntegrationKeys(String namespace) {
        this.prefix = namespace == null || namespace.isBlank() ? "" : namespace.trim() + ":";
    }

    /**
     * {@code integrations:policy-checks}: stream of the {@code claim.submitted} log entries (fields copied verbatim
     * from the log) whose policy the policy adapter looks up.
     */
    public String policyChecks() {
        return prefix + "integrations:policy-checks";
    }

    /**
     * {@code integrations:payments}: stream of the {@code claim.approved} log entries (fields copied verbatim from the
     * log) the payment adapter turns into payments.
     */
    public String payments() {
        return prefix + "integrations:payments";
    }
}
