package io.claimshub.notification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One outgoing message, as the group writes it to a channel's outbox stream and the channel's sender reads it.
 * {@code ledgerId} is {@code <event id>/<channel>/<recipient key>}: the send ledger's key for it, from which the
 * partner-facing de-duplication id ({@link #idempotencyKey()}, the e-mail's Message-ID) is derived. {@code to} is
 * the real address; logs and the API show {@link #maskedTo()}.
 */
public record OutboxMessage(String ledgerId, String claimId, String eventId, String eventType, Channel channel,
                            String to, String subject, String body, String template, long queuedAt,
                            String claimant) {

    /**
     * {@code claimant} is the pseudonym of the claimant whose data key seals {@code to}, {@code subject} and
     * {@code body} in the outbox stream (docs/data-protection.md); empty: kept as they are (no claimant's data).
     */
    public OutboxMessage {
        claimant = claimant == null ? "" : claimant;
    }

    public OutboxMessage(String ledgerId, String claimId, String eventId, String eventType, Channel channel,
                         String to, String subject, String body, String template, long queuedAt) {
        this(ledgerId, claimId, eventId, eventType, channel, to, subject, body, template, queuedAt, "");
    }

    /** The same message with other address and text (sealed or opened by PersonalData). */
    public OutboxMessage withContent(String newTo, String newSubject, String newBody) {
        return new OutboxMessage(ledgerId, claimId, eventId, eventType, channel, newTo, newSubject, newBody, template,
                queuedAt, claimant);
    }

    public static OutboxMessage fromFields(Map<String, String> fields) {
        String channel = fields.get("channel");
        if (fields.get("ledgerId") == null || fields.get("claimId") == null || channel == null
            || Channel.fromWire(channel).isEmpty() || fields.get("to") == null) {
            throw new IllegalArgumentException("not an outbox message: ledgerId, claimId, channel and to are required");
        }
        return new OutboxMessage(fields.get("ledgerId"), fields.get("claimId"), fields.getOrDefault("eventId", ""),
                fields.getOrDefault("eventType", ""), Channel.fromWire(channel).get(), fields.get("to"),
                fields.getOrDefault("subject", ""), fields.getOrDefault("body", ""),
                fields.getOrDefault("template", ""), Long.parseLong(fields.getOrDefault("queuedAt", "0")),
                fields.getOrDefault("claimant", ""));
    }

    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("ledgerId", ledgerId);
        fields.put("claimId", claimId);
        fields.put("eventId", eventId);
        fields.put("eventType", eventType);
        fields.put("channel", channel.wireName());
        fields.put("to", to);
        fields.put("subject", subject);
        fields.put("body", body);
        fields.put("template", template);
        fields.put("queuedAt", Long.toString(queuedAt));
        if (!claimant.isEmpty()) {
            fields.put("claimant", claimant);
        }
        return fields;
    }

    /** 32 hex characters of SHA-256 over the ledger id: the same for every attempt of this message, on any instance. */
    public String idempotencyKey() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(ledgerId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The e-mail's Message-ID: {@code <idempotency key>@<domain of the sender address>}. */
    public String messageId(String fromAddress) {
        int at = fromAddress == null ? -1 : fromAddress.lastIndexOf('@');
        String domain = at < 0 ? "claimshub.local" : fromAddress.substring(at + 1).replace(">", "").strip();
        return "<" + idempotencyKey() + "@" + domain + ">";
    }

    public String maskedTo() {
        return channel == Channel.WEBHOOK ? to : ClaimantContacts.mask(to);
    }

    /** A file name for this message's fallback file (.eml): the same for every attempt, so a retry overwrites. */
    public String fileName() {
        return claimId + "-" + idempotencyKey();
    }
}
