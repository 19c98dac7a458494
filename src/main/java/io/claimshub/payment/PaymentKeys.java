package io.claimshub.payment;

import io.claimshub.integration.IntegrationKeys;

/**
 * The Redis key patterns of the payment adapter, built here and nowhere else (the work stream's name comes from
 * {@link IntegrationKeys}). Claim-scoped keys carry the claim id in a hash tag; no key name holds personal data. The
 * namespace ({@code hub.integrations.namespace}) prefixes every key, so two hubs (or tests) can share a Redis.
 */
public final class PaymentKeys {

    private final IntegrationKeys integrationKeys;
    private final String prefix;

    public PaymentKeys(String namespace) {
        this.integrationKeys = new IntegrationKeys(namespace);
        this.prefix = namespace == null || namespace.isBlank() ? "" : namespace.trim() + ":";
    }

    /** {@code integrations:payments}: the approvals the adapter turns into payments (written by the integrations group). */
    public String paymentsStream() {
        return integrationKeys.payments();
    }

    /**
     * {@code payment:{CLM-...}:ledger}: hash, field a payment id, value its send state in API mode
     * ({@code sending|sent|refused|completed}, then the epoch ms and the attempt count).
     */
    public String ledger(String claimId) {
        return prefix + "payment:{" + claimId + "}:ledger";
    }

    /** {@code payment:{CLM-...}:sending}: lease (SET NX PX) of the instance sending the claim's payment to the API now. */
    public String sendLease(String claimId) {
        return prefix + "payment:{" + claimId + "}:sending";
    }

    /** {@code payments:file:pending}: zset of the payment ids waiting for the next bank file, score the epoch ms queued. */
    public String filePending() {
        return prefix + "payments:file:pending";
    }

    /** {@code payments:file:orders}: hash, payment id → the order (claim id, amount, currency) as JSON; no personal data. */
    public String fileOrders() {
        return prefix + "payments:file:orders";
    }

    /** {@code payments:file:assigned}: hash, payment id → the batch (file) it was put in; a payment gets one, once. */
    public String fileAssigned() {
        return prefix + "payments:file:assigned";
    }

    /** {@code payments:file:batch:<batchId>}: list of the batch's payment ids, in file order. */
    public String fileBatch(String batchId) {
        return prefix + "payments:file:batch:" + batchId;
    }

    /** {@code payments:file:batch:<batchId>:state}: {@code claimed|<epoch ms cut>}, then {@code written} once on disk. */
    public String fileBatchState(String batchId) {
        return prefix + "payments:file:batch:" + batchId + ":state";
    }

    /** {@code payments:file:batch:<batchId>:writing}: lease (SET NX PX) of the one instance writing the batch's file. */
    public String fileBatchWriting(String batchId) {
        return prefix + "payments:file:batch:" + batchId + ":writing";
    }

    /** {@code payments:file:unwritten}: zset of the batches cut but not yet written (score: the cut's epoch ms). */
    public String fileUnwritten() {
        return prefix + "payments:file:unwritten";
    }
}
