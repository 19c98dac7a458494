package io.claimshub.notification;

import io.claimshub.ops.OpsAudit;
import io.claimshub.privacy.PersonalData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The notification channels' dead letters, for operators: messages a partner refused, whose retries ran out, or whose
 * fate is unknown (a send started and never recorded an outcome). Each can be listed, replayed into its channel's
 * outbox (sent once more: the ledger lets it through only from failed or unknown), confirmed as sent (unknown fate
 * only: the operator checked with the partner) or discarded. Every action is recorded in the operations audit stream
 * and removes the dead letter; a replayed message that fails again comes back with its new error.
 */
public final class NotificationDeadLetters {

    /** Most entries one listing reads from the stream while looking for those of one reason. */
    static final int MAX_SCANNED = 10_000;

    public enum Status { DONE, NOT_FOUND, NOT_POSSIBLE }

    public record Resolution(Status status, String detail, String ledgerState) {
    }

    /** A dead letter as operators see it: the address masked, never the message's text. */
    public record Entry(String id, Channel channel, String claimId, String ledgerId, String eventType, String template,
                        String maskedTo, String reason, String error, Instant at, String ledgerState) {
    }

    public record Page(List<Entry> entries, Optional<String> next) {
    }

    private final StringRedisTemplate redis;
    private final NotificationKeys keys;
    private final SendLedger ledger;
    private final OpsAudit audit;

    public NotificationDeadLetters(StringRedisTemplate redis, NotificationKeys keys, SendLedger ledger, OpsAudit audit) {
        this.redis = redis;
        this.keys = keys;
        this.ledger = ledger;
        this.audit = audit;
    }

    /** The channel's dead letters after {@code after} (exclusive; null from the start), oldest first, of one reason if given. */
    public Page list(Channel channel, String reason, String after, int limit) {
        List<Entry> entries = new ArrayList<>();
        String from = after;
        int scanned = 0;
        while (entries.size() < limit && scanned < MAX_SCANNED) {
            int count = Math.min(Math.max(limit - entries.size(), 100), 1000);
            List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.deadLetters(channel),
                    from == null ? Range.unbounded() : Range.leftOpen(from, "+"), Limit.limit().count(count));
            if (records == null || records.isEmpty()) {
                return new Page(entries, Optional.empty());
            }
            for (MapRecord<String, Object, Object> record : records) {
                scanned++;
                from = record.getId().getValue();
                Entry entry = entry(channel, record);
                if (reason == null || reason.equals(entry.reason())) {
                    entries.add(entry);
                    if (entries.size() == limit) {
                        break;
                    }
                }
            }
            if (records.size() < count && entries.size() < limit) {
                return new Page(entries, Optional.empty());
            }
        }
        return new Page(entries, Optional.ofNullable(from));
    }

    public Optional<Entry> find(Channel channel, String id) {
        return record(channel, id).map(record -> entry(channel, record));
    }

    /** Queues the message again in its channel's outbox, if the ledger has it failed or of unknown fate. */
    public Resolution replay(Channel channel, String id, String operator, String reason) {
        return resolve(channel, id, operator, reason, "notification-dead-letter.replay", "queued",
                (message, detail) -> ledger.replay(message, detail));
    }

    /** Records the message as sent, if its fate was unknown: the operator checked that the partner has it. */
    public Resolution confirmSent(Channel channel, String id, String operator, String reason) {
        return resolve(channel, id, operator, reason, "notification-dead-letter.confirm-sent", "sent",
                (message, detail) -> ledger.confirmSent(message, detail));
    }

    /** Removes the dead letter for good; the ledger keeps the message's state (failed or unknown). */
    public Resolution discard(Channel channel, String id, String operator, String reason) {
        Optional<MapRecord<String, Object, Object>> record = record(channel, id);
        if (record.isEmpty()) {
            return new Resolution(Status.NOT_FOUND, "no dead letter " + id + " of the " + channel.wireName()
                    + " channel", null);
        }
        Entry entry = entry(channel, record.get());
        redis.opsForStream().delete(keys.deadLetters(channel), id);
        audit.record(operator, "notification-dead-letter.discard", keys.deadLetters(channel) + "/" + id, reason,
                details(entry));
        return new Resolution(Status.DONE, "discarded", entry.ledgerState());
    }

    private Resolution resolve(Channel channel, String id, String operator, String reason, String action,
                               String wantedState, LedgerStep step) {
        Optional<MapRecord<String, Object, Object>> record = record(channel, id);
        if (record.isEmpty()) {
            return new Resolution(Status.NOT_FOUND, "no dead letter " + id + " of the " + channel.wireName()
                    + " channel", null);
        }
        Map<String, String> fields = fields(record.get());
        OutboxMessage message;
        try {
            message = OutboxMessage.fromFields(fields);
        } catch (IllegalArgumentException notAMessage) {
            return new Resolution(Status.NOT_POSSIBLE, "dead letter " + id + " is not a message ("
                    + notAMessage.getMessage() + "); discard it", null);
        }
        String detail = "by " + operator + (reason == null ? "" : ": " + reason);
        String state = step.apply(message, detail);
        if (!wantedState.equals(state)) {
            return new Resolution(Status.NOT_POSSIBLE, "message " + message.ledgerId() + " is " + state
                    + " in the send ledger; only " + (wantedState.equals("sent") ? "a message of unknown fate"
                    : "a failed message or one of unknown fate") + " can be " + (wantedState.equals("sent")
                    ? "confirmed as sent" : "replayed"), state);
        }
        redis.opsForStream().delete(keys.deadLetters(channel), id);
        audit.record(operator, action, keys.deadLetters(channel) + "/" + id, reason, details(entry(channel, record.get())));
        return new Resolution(Status.DONE, state, state);
    }

    private Optional<MapRecord<String, Object, Object>> record(Channel channel, String id) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.deadLetters(channel),
                Range.closed(id, id));
        return records == null || records.isEmpty() ? Optional.empty() : Optional.of(records.get(0));
    }

    private Entry entry(Channel channel, MapRecord<String, Object, Object> record) {
        Map<String, String> fields = fields(record);
        String claimId = fields.getOrDefault("claimId", "");
        String ledgerId = fields.getOrDefault("ledgerId", "");
        String at = fields.get("dlq.at");
        return new Entry(record.getId().getValue(), channel, claimId, ledgerId, fields.getOrDefault("eventType", ""),
                fields.getOrDefault("template", ""), maskedTo(channel, fields),
                fields.getOrDefault("dlq.reason", ""), fields.getOrDefault("dlq.error", ""),
                at == null || !at.matches("\\d{1,15}") ? null : Instant.ofEpochMilli(Long.parseLong(at)),
                claimId.isEmpty() || ledgerId.isEmpty() ? "absent" : ledger.state(claimId, ledgerId));
    }

    /** The address, opened (it is sealed by the claimant's key in the stream) and masked; erased if it is. */
    private String maskedTo(Channel channel, Map<String, String> fields) {
        try {
            OutboxMessage opened = ledger.open(OutboxMessage.fromFields(fields));
            return opened == null ? PersonalData.ERASED : opened.maskedTo();
        } catch (IllegalArgumentException notAMessage) {
            String to = fields.get("to");
            return to == null || to.isEmpty() ? "" : channel == Channel.WEBHOOK ? to : ClaimantContacts.mask(to);
        }
    }

    private static Map<String, String> fields(MapRecord<String, Object, Object> record) {
        Map<String, String> fields = new LinkedHashMap<>();
        record.getValue().forEach((k, v) -> fields.put(k.toString(), v.toString()));
        return fields;
    }

    private static Map<String, Object> details(Entry entry) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("claimId", entry.claimId());
        details.put("ledgerId", entry.ledgerId());
        details.put("deadLetterReason", entry.reason());
        return details;
    }

    @FunctionalInterface
    private interface LedgerStep {
        String apply(OutboxMessage message, String detail);
    }
}
