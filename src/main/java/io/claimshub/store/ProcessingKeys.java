package io.claimshub.store;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * The Redis key patterns of the processors' indexes (workloads, the unassigned queue, SLA deadlines and breaches,
 * claimant history), built here and nowhere else; {@link ClaimKeys} holds the event store's. These keys are
 * derived state: each can be rebuilt from the claims' streams. A non-empty namespace ({@code hub.processing.namespace})
 * prefixes every one of them, so two hubs (or tests) can share a Redis.
 */
public final class ProcessingKeys {

    private static final String OPEN_CLAIMS_KEY_TAIL = "}:open-claims";
    private static final Pattern PSEUDONYM = Pattern.compile("[A-Za-z0-9_-]+");

    private final String prefix;

    public ProcessingKeys(String namespace) {
        this.prefix = namespace == null || namespace.isBlank() ? "" : namespace.trim() + ":";
    }

    /** {@code adjusters:open-claims}: zset, member adjuster id, score its number of open claims. */
    public String openClaimCounts() {
        return prefix + "adjusters:open-claims";
    }

    /** {@code adjuster:{ADJ-01}:open-claims}: set of the ids of the claims the adjuster works now. */
    public String openClaims(String adjusterId) {
        return openClaimsKeyHead() + requireText(adjusterId, "adjuster id") + OPEN_CLAIMS_KEY_TAIL;
    }

    /**
     * {@link #openClaims} is this, the adjuster id, then {@link #openClaimsKeyTail()}: for the workload script, which
     * finds the adjuster a claim was open with in Redis and names that adjuster's set itself.
     */
    public String openClaimsKeyHead() {
        return prefix + "adjuster:{";
    }

    /** See {@link #openClaimsKeyHead()}. */
    public String openClaimsKeyTail() {
        return OPEN_CLAIMS_KEY_TAIL;
    }

    /** {@code adjuster:{ADJ-01}:assigned:2026-03-02}: set of the claims assigned to the adjuster on that UTC day. */
    public String assignedOn(String adjusterId, LocalDate day) {
        return prefix + "adjuster:{" + requireText(adjusterId, "adjuster id") + "}:assigned:" + day;
    }

    /**
     * {@code adjusters:claim-owner}: hash claim id to {@code "<claimVersion> <adjusterId>"} ({@code -} when the claim
     * is not open with anyone), the version the workload indexes were last brought to for that claim.
     */
    public String claimOwners() {
        return prefix + "adjusters:claim-owner";
    }

    /** {@code claims:unassigned}: zset, member claim id, score submission time (epoch ms). */
    public String unassigned() {
        return prefix + "claims:unassigned";
    }

    /** {@code sla:deadlines}: zset, member claim id, score its SLA deadline (epoch ms), or a lease while it is checked. */
    public String slaDeadlines() {
        return prefix + "sla:deadlines";
    }

    /** {@code sla:breaches}: capped zset of recent breaches, member {@code "<claimId> <adjusterId> <deadline>"}. */
    public String slaBreaches() {
        return prefix + "sla:breaches";
    }

    /**
     * {@code claimant:{<pseudonym>}:claims}: zset, member claim id, score submission time (epoch ms). The pseudonym
     * comes from {@link ClaimantPseudonyms}: key names never carry the claimant's personal data.
     */
    public String claimantClaims(String claimantPseudonym) {
        if (!PSEUDONYM.matcher(requireText(claimantPseudonym, "claimant pseudonym")).matches()) {
            throw new IllegalArgumentException("a claimant key is named by a pseudonym, not by personal data");
        }
        return prefix + "claimant:{" + claimantPseudonym + "}:claims";
    }

    /** {@code claimants:pseudonym-key}: string, the generated secret of {@link ClaimantPseudonyms} when none is configured. */
    public String pseudonymSecret() {
        return prefix + "claimants:pseudonym-key";
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
