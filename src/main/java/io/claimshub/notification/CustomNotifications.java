package io.claimshub.notification;

import io.claimshub.event.ClaimIds;
import io.claimshub.store.ClaimantPseudonyms;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * The building blocks integration teams' own routes (config/routes/) send with: {@code direct:send-email},
 * {@code direct:send-sms} and {@code direct:post-status-update}. Each queues the message in the channel's outbox
 * through the send ledger, so it is sent once, retried, and dead-lettered like the hub's own. Its ledger id comes from
 * the {@code NotificationKey} header, else from the message's content: the same message sent again is sent once.
 */
public final class CustomNotifications {

    private final SendLedger ledger;
    private final Supplier<ClaimantPseudonyms> pseudonyms;
    private final Clock clock;

    public CustomNotifications(SendLedger ledger, Supplier<ClaimantPseudonyms> pseudonyms, Clock clock) {
        this.ledger = ledger;
        this.pseudonyms = pseudonyms;
        this.clock = clock;
    }

    public boolean email(String to, String subject, String body, String key, String claimId) {
        if (!Recipient.isEmail(to)) {
            throw new IllegalArgumentException("direct:send-email needs a To header with an e-mail address");
        }
        return queue(Channel.EMAIL, to, subject == null ? "" : subject, body, key, claimId);
    }

    public boolean sms(String to, String body, String key, String claimId) {
        if (!Recipient.isPhone(to)) {
            throw new IllegalArgumentException("direct:send-sms needs a To header with an E.164 phone number");
        }
        return queue(Channel.SMS, to.replace(" ", ""), "", body, key, claimId);
    }

    public boolean statusUpdate(String json, String key, String claimId) {
        return queue(Channel.WEBHOOK, "portal", "", json, key, claimId);
    }

    private boolean queue(Channel channel, String to, String subject, String body, String key, String claimId) {
        String text = body == null ? "" : body;
        String id = key != null && !key.isBlank() ? key : sha256(channel + "\n" + to + "\n" + subject + "\n" + text);
        String recipient = channel == Channel.WEBHOOK ? "portal" : "address:" + pseudonyms.get().ofEmail(to);
        String claim = claimId != null && ClaimIds.isValid(claimId) ? claimId : "custom";
        return ledger.enqueue(new OutboxMessage("custom:" + id + "/" + channel.wireName() + "/" + recipient, claim, "",
                "custom", channel, to, subject, text, "", clock.millis()));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
