package io.claimshub.privacy;

/**
 * The Redis key names of the personal-data protection, all built here. A claimant appears in them only by pseudonym
 * ({@link io.claimshub.store.ClaimantPseudonyms}), never by a personal value; the braces make a claimant's keys share
 * one cluster slot.
 */
public final class PersonalDataKeys {

    /** Sorted set: claimant pseudonym → epoch ms of their latest claim closure (the retention clock). */
    public static final String RETENTION = "pd:retention";
    /** The lease one instance holds while it runs the retention task. */
    public static final String RETENTION_LEASE = "pd:retention:lease";
    /** SCAN pattern matching every claimant's key hash (and their open-claims sets, told apart by suffix). */
    public static final String CLAIMANT_PATTERN = "pd:claimant:{*";
    private static final String OPEN_SUFFIX = ":open";

    private PersonalDataKeys() {
    }

    /**
     * Hash of one claimant's data keys: {@code current} (the key id new data is encrypted under), {@code k:<key id>}
     * (the data key wrapped by a master key, {@code <master key id>:<base64>}) and {@code erasedAt} after an erasure.
     */
    public static String claimant(String pseudonym) {
        return "pd:claimant:{" + pseudonym + "}";
    }

    /** Hash of the claimant's claims not closed yet, claim id → epoch ms opened (retention waits until it is empty). */
    public static String openClaims(String pseudonym) {
        return claimant(pseudonym) + OPEN_SUFFIX;
    }

    /** The pseudonym of a {@link #claimant} key name; null for any other key (an open-claims set). */
    public static String pseudonymOf(String keyName) {
        if (!keyName.startsWith("pd:claimant:{") || !keyName.endsWith("}")) {
            return null;
        }
        return keyName.substring("pd:claimant:{".length(), keyName.length() - 1);
    }
}
