package io.claimshub.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * One submission's idempotency record: still in flight (until {@code leaseUntil}, epoch seconds) or done, a
 * fingerprint of the payload it was made with, and the claim and event ids reserved for it. Stored as ASCII text:
 * {@code D} or {@code P}, the fingerprint (12), the claim id without {@code CLM-} (8), the event id (22, base64url),
 * and for a pending record the lease's end (10 digits): 43 characters once done.
 */
record IdempotencyRecord(boolean done, String fingerprint, String claimId, UUID eventId, long leaseUntil) {

    static final int FINGERPRINT_CHARS = 12;
    /** The length of a done record; a pending one has its lease after that. */
    static final int DONE_LENGTH = 1 + FINGERPRINT_CHARS + 8 + 22;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();
    private static final int LEASE_DIGITS = 10;

    static IdempotencyRecord pending(String fingerprint, String claimId, UUID eventId, long leaseUntil) {
        return new IdempotencyRecord(false, fingerprint, claimId, eventId, leaseUntil);
    }

    IdempotencyRecord asDone() {
        return new IdempotencyRecord(true, fingerprint, claimId, eventId, 0);
    }

    /**
     * The payload's fingerprint: its data with every object's keys sorted (so key order and spacing do not matter,
     * but every value does, {@code 1500.00} and {@code 1500.0} too) and the client's event id.
     */
    static String fingerprint(JsonNode data, UUID eventIdOrNull) {
        byte[] canonical = (EventJson.writeCanonical(data) + "\n" + eventIdOrNull).getBytes(StandardCharsets.UTF_8);
        return digest(canonical, FINGERPRINT_CHARS);
    }

    /** The first {@code chars} characters of the base64url SHA-256 of {@code input}. */
    static String digest(byte[] input, int chars) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(input);
            return BASE64URL.encodeToString(Arrays.copyOf(hash, (chars * 3 + 3) / 4)).substring(0, chars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    String encode() {
        ByteBuffer id = ByteBuffer.allocate(16)
                .putLong(eventId.getMostSignificantBits())
                .putLong(eventId.getLeastSignificantBits());
        String record = (done ? "D" : "P") + fingerprint + claimId.substring(ClaimIds.PREFIX.length())
                + BASE64URL.encodeToString(id.array());
        if (done) {
            return record;
        }
        // zero-padded by hand: String.format cost more than the rest of a bulk submission's encoding
        String lease = Long.toString(leaseUntil);
        return record + "0".repeat(Math.max(0, LEASE_DIGITS - lease.length())) + lease;
    }

    static IdempotencyRecord decode(String recordId, String stored) {
        boolean done = stored != null && stored.length() == DONE_LENGTH && stored.charAt(0) == 'D';
        boolean pending = stored != null && stored.length() == DONE_LENGTH + LEASE_DIGITS && stored.charAt(0) == 'P';
        if (!done && !pending) {
            throw new IllegalStateException("idempotency record " + recordId + " holds '" + stored + "'");
        }
        int claimAt = 1 + FINGERPRINT_CHARS;
        ByteBuffer id = ByteBuffer.wrap(BASE64URL_DECODER.decode(stored.substring(claimAt + 8, DONE_LENGTH)));
        return new IdempotencyRecord(done, stored.substring(1, claimAt),
                ClaimIds.requireValid(ClaimIds.PREFIX + stored.substring(claimAt, claimAt + 8)),
                new UUID(id.getLong(), id.getLong()), done ? 0 : Long.parseLong(stored.substring(DONE_LENGTH)));
    }
}
