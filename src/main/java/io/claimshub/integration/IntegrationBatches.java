package io.claimshub.integration;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.component.redisstreams.RedisStreamsConstants;
import io.claimshub.component.redisstreams.RedisStreamsEntry;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventType;
import io.claimshub.event.InvalidEventException;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.store.ClaimKeys;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.store.RedisScripts;
import io.claimshub.store.RedisTemplates;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The {@code integrations} group's steps in Java (routes/integrations/integrations.camel.yaml). {@link #read} checks
 * a batch against the claims' own streams in one round trip and catches each touched claim up from its snapshot and
 * stream, so the claims table follows the claims' streams, never the delivery order; {@link #handOff} copies the
 * {@code claim.submitted} and {@code claim.approved} entries verbatim to the policy and payment work streams in one
 * round trip. A batch redelivered (a failed write, a crash) is handed off again: the adapters reading the
 * work streams are idempotent, so a copy twice in a work stream does nothing twice.
 */
public final class IntegrationBatches {

    private static final RedisScript<List<Object>> READ = RedisScripts.replies("redis/integrations-read.lua");
    private static final RedisScript<Long> HAND_OFF = RedisScripts.number("redis/integrations-hand-off.lua");

    private final StringRedisTemplate redis;
    private final IntegrationKeys keys;
    private final ClaimLifecycle lifecycle;
    private final boolean policyChecks;

    public IntegrationBatches(RedisConnectionFactory connectionFactory, IntegrationKeys keys, ClaimLifecycle lifecycle) {
        this(connectionFactory, keys, lifecycle, true);
    }

    /** @param policyChecks whether submissions go to the policy adapter (hub.policy.enabled) */
    public IntegrationBatches(RedisConnectionFactory connectionFactory, IntegrationKeys keys, ClaimLifecycle lifecycle,
                              boolean policyChecks) {
        this.redis = RedisTemplates.strings(connectionFactory);
        this.keys = keys;
        this.lifecycle = lifecycle;
        this.policyChecks = policyChecks;
    }

    public IntegrationKeys keys() {
        return keys;
    }

    /** A delivered entry that passed the field checks; its timestamp cut to microseconds. */
    private record Delivered(RedisStreamsEntry entry, String claimId, long version, String eventId, String eventType,
                             String timestamp) {
    }

    /**
     * The route's first step: the batch checked and the claims caught up. Entries that are not their claim stream's
     * events are added to the batch's dead letters ({@link RedisStreamsConstants#BATCH_DEAD_LETTER}), merged with any
     * already there.
     */
    public IntegrationBatch read(List<RedisStreamsEntry> batch, Exchange exchange) {
        IntegrationBatch result = read(batch);
        addDeadLetters(exchange, result.deadLetters());
        return result;
    }

    /** Adds dead letters to the batch exchange's property, keeping those an earlier step set. */
    @SuppressWarnings("unchecked")
    public static void addDeadLetters(Exchange exchange, Map<String, String> deadLetters) {
        if (deadLetters.isEmpty()) {
            return;
        }
        Map<String, String> merged = new LinkedHashMap<>();
        Object existing = exchange.getProperty(RedisStreamsConstants.BATCH_DEAD_LETTER);
        if (existing instanceof Map<?, ?> map) {
            merged.putAll((Map<String, String>) map);
        }
        deadLetters.forEach(merged::putIfAbsent);
        exchange.setProperty(RedisStreamsConstants.BATCH_DEAD_LETTER, merged);
    }

    public IntegrationBatch read(List<RedisStreamsEntry> batch) {
        Map<String, String> deadLetters = new LinkedHashMap<>();
        // by claim id, so rows are written in one order by every instance
        Map<String, List<Delivered>> byClaim = new TreeMap<>();
        for (RedisStreamsEntry entry : batch) {
            try {
                Delivered delivered = fieldsOf(entry);
                byClaim.computeIfAbsent(delivered.claimId(), c -> new ArrayList<>()).add(delivered);
            } catch (InvalidEventException e) {
                deadLetters.put(entry.id(), e.getMessage());
            }
        }
        List<RedisStreamsEntry> policyChecks = new ArrayList<>();
        List<RedisStreamsEntry> payments = new ArrayList<>();
        List<Map<String, String>> claims = new ArrayList<>();
        List<IntegrationBatch.ClaimEvent> events = new ArrayList<>();
        if (!byClaim.isEmpty()) {
            List<Object> reply = readClaims(byClaim);
            int c = 0;
            for (Map.Entry<String, List<Delivered>> claim : byClaim.entrySet()) {
                List<?> claimReply = (List<?>) reply.get(c++);
                List<?> records = (List<?>) claimReply.get(0);
                boolean any = false;
                Map<Long, Delivered> genuine = new TreeMap<>();
                for (int i = 0; i < claim.getValue().size(); i++) {
                    Delivered delivered = claim.getValue().get(i);
                    String problem = check(delivered, records.get(i));
                    if (problem != null) {
                        deadLetters.put(delivered.entry().id(), problem);
                        continue;
                    }
                    any = true;
                    genuine.putIfAbsent(delivered.version(), delivered);
                    if (EventType.CLAIM_SUBMITTED.wireName().equals(delivered.eventType())) {
                        policyChecks.add(delivered.entry());
                    } else if (EventType.CLAIM_APPROVED.wireName().equals(delivered.eventType())) {
                        payments.add(delivered.entry());
                    }
                }
                if (!any) {
                    continue;
                }
                genuine.values().forEach(d -> events.add(new IntegrationBatch.ClaimEvent(d.claimId(), d.version(),
                        d.eventId(), d.eventType(), d.timestamp(), d.entry().id())));
                Map<String, String> state = isUpToDate(claimReply) ? columnFields((List<?>) claimReply.get(2))
                        : caughtUp(fields((List<?>) claimReply.get(2)), (List<?>) claimReply.get(3));
                if (state != null) {
                    claims.add(state);
                }
            }
        }
        return new IntegrationBatch(List.copyOf(policyChecks), List.copyOf(payments), List.copyOf(claims),
                List.copyOf(events), deadLetters);
    }

    private static Delivered fieldsOf(RedisStreamsEntry entry) {
        Map<String, String> fields = entry.fields();
        String claimId = fields.get(StreamEntryCodec.CLAIM_ID);
        if (!ClaimIds.isValid(claimId)) {
            throw new InvalidEventException(StreamEntryCodec.CLAIM_ID, "claimId is missing or not a claim id");
        }
        long version = parseVersion(fields.get(StreamEntryCodec.CLAIM_VERSION));
        if (version < 1) {
            throw new InvalidEventException(StreamEntryCodec.CLAIM_VERSION,
                    "claimVersion is missing or not a whole number from 1");
        }
        String eventId = fields.get(StreamEntryCodec.EVENT_ID);
        if (eventId == null || eventId.isBlank() || eventId.length() > 36) {
            throw new InvalidEventException(StreamEntryCodec.EVENT_ID, "eventId is missing or not an event id");
        }
        String eventType = fields.get(StreamEntryCodec.EVENT_TYPE);
        if (eventType == null || eventType.isBlank()) {
            throw new InvalidEventException(StreamEntryCodec.EVENT_TYPE, "eventType is missing");
        }
        String timestamp;
        try {
            timestamp = ClaimsTableRows.timestampText(String.valueOf(fields.get(StreamEntryCodec.TIMESTAMP)));
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(StreamEntryCodec.TIMESTAMP, "timestamp is missing or not an instant");
        }
        return new Delivered(entry, claimId, version, eventId, eventType, timestamp);
    }

    private static long parseVersion(String version) {
        if (version == null || version.isEmpty() || version.length() > 18
                || !version.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return -1;
        }
        return Long.parseLong(version);
    }

    // the record is "<version> <global entry id> <claim entry id>" (append-event.lua)
    private static String check(Delivered delivered, Object record) {
        if (record == null) {
            return "not in its claim's stream: event " + delivered.eventId() + " was never appended to "
                    + ClaimKeys.claimStream(delivered.claimId());
        }
        String[] parts = string(record).split(" ");
        if (parts.length < 2 || !Long.toString(delivered.version()).equals(parts[0])) {
            return "not its claim stream's event: event " + delivered.eventId() + " is not version "
                    + delivered.version() + " of " + delivered.claimId();
        }
        if (!parts[1].equals(delivered.entry().id())) {
            return "not the log entry of its event: event " + delivered.eventId() + " was logged as entry "
                    + parts[1] + "; a copy or a forgery";
        }
        return null;
    }

    private List<Object> readClaims(Map<String, List<Delivered>> byClaim) {
        List<String> scriptKeys = new ArrayList<>(3 * byClaim.size());
        List<String> args = new ArrayList<>(2 + ClaimsTableRows.FIELDS.size() + 3 * byClaim.size());
        args.add(ClaimSnapshots.STREAM_ENTRY_ID);
        args.add(Integer.toString(ClaimsTableRows.FIELDS.size()));
        args.addAll(ClaimsTableRows.FIELDS);
        byClaim.forEach((claimId, delivered) -> {
            scriptKeys.add(ClaimKeys.eventIds(claimId));
            scriptKeys.add(ClaimKeys.snapshot(claimId));
            scriptKeys.add(ClaimKeys.claimStream(claimId));
            args.add(Integer.toString(delivered.size()));
            delivered.forEach(d -> args.add(d.eventId()));
        });
        return redis.execute(READ, scriptKeys, args.toArray());
    }

    // the script's answer for a claim whose snapshot has folded its whole stream: the table's fields only
    private static boolean isUpToDate(List<?> claimReply) {
        Object flag = claimReply.get(1);
        return flag instanceof Number number ? number.longValue() == 1 : "1".equals(string(flag));
    }

    // the values of the table's fields (ClaimsTableRows.FIELDS), absent ones nil
    private static Map<String, String> columnFields(List<?> values) {
        Map<String, String> fields = new HashMap<>(2 * values.size());
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value != null) {
                fields.put(ClaimsTableRows.FIELDS.get(i), string(value));
            }
        }
        return fields;
    }

    // the snapshot with the stream entries it has not folded yet (ClaimSnapshots' catch-up, not written back here),
    // as snapshot fields; a snapshot that is up to date (the usual case: it is written with each append) is taken as is
    private Map<String, String> caughtUp(Map<String, String> snapshot, List<?> unseen) {
        boolean positioned = snapshot.containsKey(ClaimSnapshots.STREAM_ENTRY_ID);
        if (positioned && unseen.isEmpty()) {
            return snapshot;
        }
        ClaimState state = positioned ? ClaimState.fromFields(snapshot) : null;
        for (Object raw : unseen) {
            List<?> entry = (List<?>) raw;
            StoredEvent stored = StreamEntryCodec.decode(fields((List<?>) entry.get(1)));
            state = lifecycle.apply(state, stored.event(), stored.claimVersion());
        }
        return state == null ? null : state.toFields();
    }

    /**
     * Copies the batch's {@code claim.submitted} entries to the policy-check work stream and its {@code claim.approved}
     * entries to the payments work stream, fields verbatim, in one script call (one round trip).
     */
    public void handOff(IntegrationBatch batch) {
        List<RedisStreamsEntry> submissions = policyChecks ? batch.policyChecks() : List.of();
        if (submissions.isEmpty() && batch.payments().isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(24 * (submissions.size() + batch.payments().size()));
        submissions.forEach(entry -> addHandOff(args, "1", entry));
        batch.payments().forEach(entry -> addHandOff(args, "2", entry));
        redis.execute(HAND_OFF, List.of(keys.policyChecks(), keys.payments()), args.toArray());
    }

    private static void addHandOff(List<String> args, String stream, RedisStreamsEntry entry) {
        args.add(stream);
        args.add(Integer.toString(2 * entry.fields().size()));
        entry.fields().forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
    }

    private static Map<String, String> fields(List<?> pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            fields.put(string(pairs.get(i)), string(pairs.get(i + 1)));
        }
        return fields;
    }

    private static String string(Object raw) {
        return raw instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(raw);
    }
}
