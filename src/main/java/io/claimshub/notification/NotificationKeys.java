package io.claimshub.notification;

import java.time.LocalDate;

/**
 * The Redis key patterns of the notifications, built here and nowhere else. Claim-scoped keys carry the claim id in
 * a hash tag, so a claim's ledger and log sit in one cluster slot. No key name holds personal data. A non-empty
 * namespace ({@code hub.notifications.namespace}) prefixes every key, so two hubs (or tests) can share a Redis.
 */
public final class NotificationKeys {

    private final String prefix;

    public NotificationKeys(String namespace) {
        this.prefix = namespace == null || namespace.isBlank() ? "" : namespace.trim() + ":";
    }

    /** {@code notifications:outbox:<channel>}: stream of the messages waiting for that channel's sender. */
    public String outbox(Channel channel) {
        return prefix + "notifications:outbox:" + channel.wireName();
    }

    public String emailOutbox() {
        return outbox(Channel.EMAIL);
    }

    public String smsOutbox() {
        return outbox(Channel.SMS);
    }

    public String webhookOutbox() {
        return outbox(Channel.WEBHOOK);
    }

    /** {@code notifications:outbox:<channel>:dlq}: the channel's messages given up on, with the reason. */
    public String deadLetters(Channel channel) {
        return outbox(channel) + ":dlq";
    }

    /**
     * {@code notification:{CLM-...}:ledger}: hash, field a send's ledger id (event id, channel, recipient), value its
     * state ({@code queued|sending|sent|failed|unknown|skipped}, then the time and a detail).
     */
    public String ledger(String claimId) {
        return prefix + "notification:{" + claimId + "}:ledger";
    }

    /** {@code notification:{CLM-...}:log}: stream of every attempt and outcome for the claim (the API lists it). */
    public String log(String claimId) {
        return prefix + "notification:{" + claimId + "}:log";
    }

    /** {@code notifications:unknown}: zset, member {@code <claimId> <ledger id>}, score the time its fate became unknown. */
    public String unknown() {
        return prefix + "notifications:unknown";
    }

    /** {@code notifications:compliance-mailed:<yyyy-mm-dd>}: set once the day's compliance report was e-mailed. */
    public String complianceMailed(LocalDate day) {
        return prefix + "notifications:compliance-mailed:" + day;
    }
}
