package io.claimshub.payment;

import io.claimshub.event.ClaimIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Payment ids, derived from the claim and its approval event: {@code <claimId>-P<12 hex digits of
 * SHA-256(claimId|approvalEventId)>}, e.g. {@code CLM-AB12CD34-P3f9a0c1b2d4e} (27 characters, within the 35 of a bank
 * file's end-to-end reference). Every instance, every redelivery and every restart derives the same id for an
 * approval, so the payment system always sees the same idempotency key; the claim id is read back from it.
 */
public final class PaymentIds {

    private PaymentIds() {
    }

    public static String of(String claimId, String approvalEventId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((claimId + "|" + approvalEventId).getBytes(StandardCharsets.UTF_8));
            return claimId + "-P" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claim a payment id belongs to; empty when the text is not a payment id. */
    public static Optional<String> claimIdOf(String paymentId) {
        if (paymentId == null || paymentId.length() < 14 || !paymentId.matches("CLM-[A-Z0-9]{8}-P[0-9a-f]{12}")) {
            return Optional.empty();
        }
        String claimId = paymentId.substring(0, 12);
        return ClaimIds.isValid(claimId) ? Optional.of(claimId) : Optional.empty();
    }

    /** The id of the event {@code eventType} records for the payment: the same for every try, so it is stored once. */
    public static UUID eventId(String eventType, String paymentId) {
        return UUID.nameUUIDFromBytes((eventType + "|" + paymentId).getBytes(StandardCharsets.UTF_8));
    }
}
