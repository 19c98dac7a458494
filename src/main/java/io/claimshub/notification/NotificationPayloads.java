package io.claimshub.notification;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Date;
import java.util.HexFormat;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bodies the channels send: the SMS gateway's JSON, the status update's HMAC signature, and the e-mail as an
 * RFC 5322 file ({@code .eml}) when no SMTP server is configured.
 */
public final class NotificationPayloads {

    /** The header carrying the status update's signature: {@code sha256=<hex HMAC-SHA256 of the body>}. */
    public static final String SIGNATURE_HEADER = "X-ClaimsHub-Signature";

    private final String mailFrom;
    private final String smsFrom;
    private final String webhookSecret;

    public NotificationPayloads(String mailFrom, String smsFrom, String webhookSecret) {
        this.mailFrom = mailFrom;
        this.smsFrom = smsFrom;
        this.webhookSecret = webhookSecret;
    }

    /** The e-mail's Message-ID, derived from its ledger id and the sender's domain. */
    public String messageId(OutboxMessage message) {
        return message.messageId(mailFrom);
    }

    /** {@code {"to": "+447700900123", "from": "ClaimsHub", "text": "...", "reference": "<idempotency key>"}} */
    public String smsJson(OutboxMessage message) {
        ObjectNode json = EventJson.mapper().createObjectNode();
        json.put("to", message.to());
        json.put("from", smsFrom);
        json.put("text", message.body());
        json.put("reference", message.idempotencyKey());
        return json.toString();
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of the body's UTF-8 bytes under {@code hub.webhook.secret}. */
    public String signature(String body) {
        if (webhookSecret == null || webhookSecret.isBlank()) {
            return "";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The e-mail as an .eml file's bytes, with the Message-ID a real send would carry. */
    public byte[] eml(OutboxMessage message, String from) {
        try {
            MimeMessage mime = new MimeMessage(Session.getInstance(new Properties())) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", message.messageId(from));
                }
            };
            mime.setFrom(new InternetAddress(from));
            mime.setRecipients(Message.RecipientType.TO, InternetAddress.parse(message.to()));
            mime.setSubject(message.subject(), "UTF-8");
            mime.setSentDate(new Date(message.queuedAt()));
            mime.setText(message.body(), "UTF-8");
            mime.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            mime.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalArgumentException("cannot write the e-mail " + message.ledgerId() + " as .eml: "
                    + e.getMessage(), e);
        }
    }

    /** A line of a fallback .jsonl file: the body and, for a status update, its signature. */
    public String jsonLine(String body) {
        return body + "\n";
    }
}
