package io.claimshub.notification;

import io.claimshub.privacy.PersonalData;
import io.claimshub.store.RedisScripts;
import io.claimshub.store.RedisTemplates;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.net.ConnectException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The send ledger: one entry per (event, channel, recipient) in the claim's ledger hash, moved through
 * queued → sending → sent (or failed, or unknown) by one Redis script per step, each with its line in the claim's
 * notification log. A message is sent only by the sender that moved it from queued to sending; a sender that finds
 * it still "sending" (its sender died between the send and this record) marks it unknown and lists it for an
 * operator ({@link NotificationKeys#unknown()}), never sending it again.
 */
public final class SendLedger {

    private static final Logger LOG = LoggerFactory.getLogger(SendLedger.class);
    private static final RedisScript<Long> ENQUEUE = RedisScripts.number("redis/notification-enqueue.lua");
    private static final RedisScript<String> TRANSITION = RedisScripts.text("redis/notification-transition.lua");
    private static final int MAX_DETAIL = 500;
    /** The dead-letter reason of a message whose send started and never recorded an outcome. */
    public static final String UNKNOWN_FATE = "unknown-fate";

    private final StringRedisTemplate redis;
    private final NotificationKeys keys;
    private final Clock clock;
    private final String owner;
    // seals a message's address and text in the outbox and dead-letter streams with its claimant's data key
    private volatile PersonalData personalData = PersonalData.off();

    public SendLedger(RedisConnectionFactory connectionFactory, NotificationKeys keys, Clock clock, String owner) {
        this.redis = RedisTemplates.strings(connectionFactory);
        this.keys = keys;
        this.clock = clock;
        this.owner = owner;
    }

    /** Seal messages about a claimant with their data key, and open them for sending (docs/data-protection.md). */
    public SendLedger protectWith(PersonalData protection) {
        this.personalData = protection;
        return this;
    }

    /**
     * An outbox entry as a message, its address and text opened; an entry that is not one is dead-lettered at once,
     * and one whose claimant's personal data has been erased since it was queued is not sent (null: nothing to send).
     */
    public OutboxMessage message(Map<String, String> outboxEntryFields, String senderRouteId) {
        OutboxMessage sealed;
        try {
            sealed = OutboxMessage.fromFields(outboxEntryFields);
        } catch (IllegalArgumentException notAMessage) {
            deadLetterEntry(outboxEntryFields, notAMessage, senderRouteId);
            return null;
        }
        OutboxMessage opened = open(sealed);
        if (opened == null) {
            skipped(sealed.claimId(), sealed.eventId(), sealed.eventType(), "erased", sealed.channel(),
                    "not sent: the claimant's personal data was erased after it was queued");
            LOG.info("Notification {} of claim {} not sent: the claimant's personal data is erased", sealed.ledgerId(),
                    sealed.claimId());
        }
        return opened;
    }

    /** The message with its address and text sealed by its claimant's key; null when that key is destroyed. */
    OutboxMessage seal(OutboxMessage message) {
        if (message.claimant().isEmpty() || !personalData.enabled()) {
            return message;
        }
        String to = personalData.seal(message.claimId(), "outbox.to", message.claimant(), message.to());
        if (to == null) {
            return null;
        }
        return message.withContent(to,
                personalData.seal(message.claimId(), "outbox.subject", message.claimant(), message.subject()),
                personalData.seal(message.claimId(), "outbox.body", message.claimant(), message.body()));
    }

    /** The message with its address and text opened; null when any of them is erased. */
    OutboxMessage open(OutboxMessage message) {
        String to = personalData.reveal(message.claimId(), message.to());
        String subject = personalData.reveal(message.claimId(), message.subject());
        String body = personalData.reveal(message.claimId(), message.body());
        if (PersonalData.ERASED.equals(to) || PersonalData.ERASED.equals(subject) || PersonalData.ERASED.equals(body)) {
            return null;
        }
        return message.withContent(to, subject, body);
    }

    /** The message as a stream entry: sealed, or with address and text left out when they cannot be. */
    private Map<String, String> stored(OutboxMessage message) {
        OutboxMessage sealed = seal(message);
        return (sealed != null ? sealed : message.withContent(PersonalData.ERASED, "", "")).toFields();
    }

    /** The dead-letter step of a channel's sender, given the entry as it was read from the outbox. */
    public void deadLetterEntry(Map<String, String> outboxEntryFields, Exception failure, String senderRouteId) {
        String channelName = senderRouteId == null ? "" : senderRouteId.replaceFirst("^notification-", "");
        OutboxMessage message;
        try {
            message = OutboxMessage.fromFields(outboxEntryFields);
        } catch (IllegalArgumentException notAMessage) {
            Channel channel = Channel.fromWire(channelName).orElse(Channel.EMAIL);
            Map<String, String> dlq = new LinkedHashMap<>();
            outboxEntryFields.forEach((k, v) -> dlq.put(k, truncate(v)));
            dlq.put("dlq.reason", "invalid-message");
            dlq.put("dlq.error", describe(notAMessage));
            redis.opsForStream().add(keys.deadLetters(channel), dlq);
            LOG.warn("An entry of {} that is not an outbox message was dead-lettered: {}", keys.outbox(channel),
                    describe(notAMessage));
            return;
        }
        deadLetter(message, failure == null ? new IllegalStateException("unknown failure") : failure);
    }

    /** Queues a message in its channel's outbox unless the ledger already has it; true when it was queued now. */
    public boolean enqueue(OutboxMessage message) {
        List<String> args = new ArrayList<>();
        args.add(message.ledgerId());
        args.add("queued|" + clock.millis() + "|");
        OutboxMessage sealed = seal(message);
        if (sealed == null) {
            skipped(message.claimId(), message.eventId(), message.eventType(), "erased", message.channel(),
                    "the claimant's personal data is erased");
            return false;
        }
        Map<String, String> fields = sealed.toFields();
        args.add(Integer.toString(fields.size() * 2));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        logFields(message, "queued", "").forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        Long queued = redis.execute(ENQUEUE, List.of(keys.ledger(message.claimId()), keys.outbox(message.channel()),
                keys.log(message.claimId())), args.toArray());
        return queued != null && queued == 1;
    }

    /** Records, once per event and rule, a notification a rule did not send and why. */
    public void skipped(String claimId, String eventId, String eventType, String rule, Channel channel, String reason) {
        String ledgerId = eventId + "/" + channel.wireName() + "/skipped:" + rule;
        Map<String, String> log = new LinkedHashMap<>();
        log.put("at", Long.toString(clock.millis()));
        log.put("eventId", eventId);
        log.put("eventType", eventType);
        log.put("channel", channel.wireName());
        log.put("rule", rule);
        log.put("outcome", "skipped");
        log.put("detail", reason);
        List<String> args = new ArrayList<>(List.of(ledgerId, "skipped|" + clock.millis() + "|" + reason, "0"));
        log.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        redis.execute(ENQUEUE, List.of(keys.ledger(claimId), keys.ledger(claimId), keys.log(claimId)), args.toArray());
    }

    /** Takes the message for sending: true only for the one sender that moved it from queued to sending. */
    public boolean reserve(OutboxMessage message) {
        if (message == null) {
            return false;
        }
        // should the message turn out to be stuck in "sending", it goes to the dead letters with these fields (sealed)
        Map<String, String> dlq = new LinkedHashMap<>(stored(message));
        dlq.put("dlq.reason", UNKNOWN_FATE);
        dlq.put("dlq.error", "a send was started and never recorded an outcome (its sender stopped or crashed)");
        dlq.put("dlq.at", Long.toString(clock.millis()));
        String state = transition(message, "reserve", owner, dlq);
        if (state.equals("unknown")) {
            LOG.warn("Notification {} of claim {} ({} to {}): its earlier send never recorded an outcome; it is not "
                     + "sent again and is listed under {} and in {} (reason {})", message.ledgerId(),
                    message.claimId(), message.channel().wireName(), message.maskedTo(), keys.unknown(),
                    keys.deadLetters(message.channel()), UNKNOWN_FATE);
        }
        return state.equals("reserved");
    }

    public void sent(OutboxMessage message) {
        transition(message, "sent", "", Map.of());
        LOG.debug("Notification {} sent ({} to {})", message.ledgerId(), message.channel().wireName(),
                message.maskedTo());
    }

    /**
     * The send failed before the message went out. Refused for good: dead-lettered now, and the send is over.
     * Otherwise back to queued (another attempt may take it), and the failure thrown again for the retries and the
     * circuit breaker.
     */
    public void released(OutboxMessage message, Exception failure) {
        io.claimshub.notification.SendFailedException classified = classify(failure);
        if (classified instanceof io.claimshub.notification.SendFailedException.Permanent) {
            deadLetter(message, classified);
            return;
        }
        transition(message, "release", describe(classified), Map.of());
        throw classified;
    }

    /** The last retry failed, or the partner refused the message: failed in the ledger, into the dead letters. */
    public void deadLetter(OutboxMessage message, Exception failure) {
        String reason = failure instanceof io.claimshub.notification.SendFailedException.Permanent
                ? "refused" : "retries-exhausted";
        Map<String, String> dlq = new LinkedHashMap<>(stored(message));
        dlq.put("dlq.reason", reason);
        dlq.put("dlq.error", describe(failure));
        dlq.put("dlq.at", Long.toString(clock.millis()));
        transition(message, "fail", reason + ": " + describe(failure), dlq);
        LOG.warn("Notification {} of claim {} ({} to {}) dead-lettered to {}: {}: {}", message.ledgerId(),
                message.claimId(), message.channel().wireName(), message.maskedTo(),
                keys.deadLetters(message.channel()), reason, describe(failure));
    }

    /**
     * A dead-lettered message back into its outbox (operator replay), if it failed or its fate is unknown: the ledger
     * answers the state it is in afterwards ({@code queued} when it was queued again).
     */
    public String replay(OutboxMessage message, String detail) {
        String state = transition(message, "requeue", detail, Map.of());
        if ("queued".equals(state)) {
            redis.opsForStream().add(keys.outbox(message.channel()), stored(message));
        }
        return state;
    }

    /**
     * An operator's word that a message whose fate was unknown did reach the partner: {@code sent} in the ledger. Answers
     * the state it is in afterwards ({@code sent} when it was unknown).
     */
    public String confirmSent(OutboxMessage message, String detail) {
        return transition(message, "confirm", detail, Map.of());
    }

    /** A ledger entry's state ({@code absent} when there is none). */
    public String state(String claimId, String ledgerId) {
        Object value = redis.opsForHash().get(keys.ledger(claimId), ledgerId);
        return value == null ? "absent" : value.toString().split("\\|", 2)[0];
    }

    /** The claim's notification log, oldest first: every attempt and outcome. */
    public List<Map<String, String>> history(String claimId) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.log(claimId),
                Range.unbounded());
        List<Map<String, String>> entries = new ArrayList<>();
        if (records != null) {
            for (MapRecord<String, Object, Object> record : records) {
                Map<String, String> entry = new LinkedHashMap<>();
                record.getValue().forEach((k, v) -> entry.put(k.toString(), v.toString()));
                entries.add(entry);
            }
        }
        return entries;
    }

    /** The ledger's entries of a claim: ledger id → state, epoch ms, detail. */
    public Map<String, String[]> entries(String claimId) {
        Map<String, String[]> entries = new LinkedHashMap<>();
        redis.opsForHash().entries(keys.ledger(claimId)).forEach((k, v) ->
                entries.put(k.toString(), v.toString().split("\\|", 3)));
        return entries;
    }

    private String transition(OutboxMessage message, String operation, String detail, Map<String, String> dlq) {
        List<String> args = new ArrayList<>();
        args.add(message.ledgerId());
        args.add(operation);
        args.add(Long.toString(clock.millis()));
        args.add(truncate(detail));
        args.add(message.claimId());
        args.add(Integer.toString(dlq.size() * 2));
        dlq.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        logFields(message, null, null).forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return redis.execute(TRANSITION, List.of(keys.ledger(message.claimId()), keys.log(message.claimId()),
                keys.unknown(), keys.deadLetters(message.channel())), args.toArray());
    }

    private Map<String, String> logFields(OutboxMessage message, String outcome, String detail) {
        Map<String, String> log = new LinkedHashMap<>();
        log.put("at", Long.toString(clock.millis()));
        log.put("ledgerId", message.ledgerId());
        log.put("eventId", message.eventId());
        log.put("eventType", message.eventType());
        log.put("channel", message.channel().wireName());
        log.put("to", message.maskedTo());
        log.put("template", message.template());
        if (outcome != null) {
            log.put("outcome", outcome);
            log.put("detail", detail);
        }
        return log;
    }

    /**
     * Whether retrying can help: refused addresses (SMTP 5xx for a recipient) and HTTP 4xx other than 408/429 are
     * permanent; connection failures, timeouts, 5xx and everything unknown are retried.
     */
    static io.claimshub.notification.SendFailedException classify(Throwable failure) {
        if (failure instanceof io.claimshub.notification.SendFailedException known) {
            return known;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SendFailedException refused && refused.getInvalidAddresses() != null
                && refused.getInvalidAddresses().length > 0) {
                return new io.claimshub.notification.SendFailedException.Permanent(
                        "the SMTP server refused the recipient: " + firstLine(t.getMessage()), failure);
            }
            if (t instanceof ConnectException) {
                break;
            }
            if (t instanceof MessagingException && t.getMessage() != null && t.getMessage().matches("(?s)^5\\d\\d .*")) {
                return new io.claimshub.notification.SendFailedException.Permanent(
                        "the SMTP server refused the message: " + firstLine(t.getMessage()), failure);
            }
        }
        return new io.claimshub.notification.SendFailedException(firstLine(String.valueOf(failure)), failure);
    }

    /** For the HTTP channels: the partner's answer as success, a retryable failure or a refusal. */
    public static void checkHttp(Integer status, String body) {
        if (status == null) {
            throw new io.claimshub.notification.SendFailedException("no HTTP status from the partner", null);
        }
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + firstLine(truncate(body)));
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new io.claimshub.notification.SendFailedException.Permanent("the partner refused the message: "
                    + detail, null);
        }
        throw new io.claimshub.notification.SendFailedException("the partner failed: " + detail, null);
    }

    private static String describe(Throwable failure) {
        return redact(truncate(firstLine(failure.getMessage() == null ? failure.getClass().getSimpleName()
                : failure.getMessage())));
    }

    private static final java.util.regex.Pattern ADDRESS =
            java.util.regex.Pattern.compile("[^\\s<>\"'@,;:]+@[^\\s<>\"',;]+|\\+[0-9]{8,15}");

    /** A partner's error text may quote the recipient (550 <a@b.example>: unknown): masked before it is kept. */
    static String redact(String text) {
        java.util.regex.Matcher m = ADDRESS.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(ClaimantContacts.mask(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String truncate(String text) {
        return text == null ? "" : text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL);
    }
}
