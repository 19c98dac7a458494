package io.claimshub.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.FieldError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * What one line (or CSV row) of an ingest file asks for. Identities are derived from the line's content, not from
 * the file's name or position, so the same line dropped again, in a renamed file or after a crash, is answered by
 * the store as a duplicate rather than appended twice.
 */
public sealed interface IngestLine {

    /** A blank line: skipped, neither accepted nor rejected. */
    record Blank() implements IngestLine {
    }

    /** The line could not be read as a submission or an event; nothing is sent to the store. */
    record Unreadable(String reason, List<FieldError> errors) implements IngestLine {
        public Unreadable {
            errors = List.copyOf(errors);
        }
    }

    /** A line with a byte that is not UTF-8: refused rather than stored with replacement characters. */
    static Unreadable notUtf8() {
        return new Unreadable("not UTF-8", List.of(new FieldError("line", "has a byte that is not UTF-8; files must be UTF-8 text")));
    }

    /** A line over the size limit every ingress shares: refused unread, like a REST body over it. */
    static Unreadable tooLong(long bytes, int maxLineBytes) {
        return new Unreadable("line too long", List.of(new FieldError("line", "is " + bytes
                + " bytes; a line may have at most " + maxLineBytes + " (hub.api.max-body-bytes)")));
    }

    /** Opens a claim with this {@code claim.submitted} data. */
    record Submission(ObjectNode data, UUID eventIdOrNull) implements IngestLine {

        /**
         * SHA-256 (hex) of the client's event id, if any, and the data written by the hub's mapper (so spacing does
         * not matter): the line's identity, used as its idempotency key.
         */
        public String contentHash() {
            String eventId = eventIdOrNull == null ? "" : eventIdOrNull.toString();
            return sha256(EventType.CLAIM_SUBMITTED.wireName() + "\n" + eventId + "\n" + EventJson.write(data));
        }

        /** The event id to propose: the client's, else one derived from the content. */
        public UUID eventId() {
            return eventIdOrNull != null ? eventIdOrNull : eventId(contentHash());
        }

        /** {@link #eventId()}, given the line's {@link #contentHash()}: a chunk computes it once per line. */
        public UUID eventId(String contentHash) {
            return eventIdOrNull != null ? eventIdOrNull : nameUuid(contentHash);
        }
    }

    /** Appends an event to an existing claim. */
    record Push(String claimId, String eventType, ObjectNode data, UUID eventIdOrNull, Long expectedVersionOrNull)
            implements IngestLine {

        /**
         * The client's event id, else a name-based UUID of claim id, type and data: the same event line sent again is
         * the same event, which the claim's event-id index answers as a duplicate forever.
         */
        public UUID eventId() {
            if (eventIdOrNull != null) {
                return eventIdOrNull;
            }
            return nameUuid(sha256(claimId + "\n" + eventType + "\n" + EventJson.write(data)));
        }
    }

    private static UUID nameUuid(String seed) {
        return UUID.nameUUIDFromBytes(("claims-hub:ingest:" + seed).getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
