package io.claimshub.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.EventJson;
import io.claimshub.notification.ClaimantContacts;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.store.RedisScripts;
import io.claimshub.store.RedisTemplates;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * File mode: payments are queued in Redis, cut into a batch at each cut-off by one Redis script (so a payment goes
 * into exactly one batch, whichever instance cuts and however often), and each batch is written as one bank file in
 * the fixed-width format of docs/adapters.md, "Payments". A batch that was cut but not written (its writer died) is
 * written by the next cut-off run of any instance (one at a time, under a lease), with the same name and content.
 */
public final class PaymentFiles {

    private java.util.function.Supplier<io.claimshub.privacy.PersonalData> personalData =
            io.claimshub.privacy.PersonalData::off;

    /** Opens the payee's name (stored encrypted) through the hub's personal-data access point. */
    public PaymentFiles protectedBy(java.util.function.Supplier<io.claimshub.privacy.PersonalData> personalData) {
        this.personalData = personalData;
        return this;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PaymentFiles.class);
    private static final RedisScript<Long> ENQUEUE = RedisScripts.number("redis/payment-file-enqueue.lua");
    private static final RedisScript<Long> CUT = RedisScripts.number("redis/payment-file-cut.lua");
    private static final long KEEP_SECONDS = 40L * 24 * 3600;
    private static final java.time.Duration WRITE_LEASE = java.time.Duration.ofSeconds(60);
    private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Record length of every line of a bank file, in characters (before the line break). */
    public static final int RECORD_LENGTH = 160;

    /** A bank file to write: its batch, name and content. */
    public record BatchFile(String batchId, String fileName, String content, int payments) {
    }

    private final StringRedisTemplate redis;
    private final PaymentKeys keys;
    private final ClaimSnapshots snapshots;
    private final Clock clock;
    private final List<LocalTime> cutoffTimes;
    private final long cutoffIntervalMillis;
    private final String originatorId;

    public PaymentFiles(RedisConnectionFactory connectionFactory, PaymentKeys keys, ClaimSnapshots snapshots,
                        Clock clock, List<LocalTime> cutoffTimes, long cutoffIntervalMillis, String originatorId) {
        this.redis = RedisTemplates.strings(connectionFactory);
        this.keys = keys;
        this.snapshots = snapshots;
        this.clock = clock;
        this.cutoffTimes = cutoffTimes.stream().sorted().toList();
        this.cutoffIntervalMillis = cutoffIntervalMillis;
        this.originatorId = originatorId;
        if (cutoffIntervalMillis <= 0 && this.cutoffTimes.isEmpty()) {
            throw new IllegalArgumentException("hub.payment.cutoff-times names no time (HH:mm,HH:mm)");
        }
    }

    /** Queues the payment for the next cut-off; false when it was queued or in a file already. */
    public boolean enqueue(PaymentOrder order) {
        ObjectNode json = EventJson.mapper().createObjectNode();
        json.put("claimId", order.claimId());
        json.put("amount", order.amount().amount());
        json.put("currency", order.amount().currency());
        Long queued = redis.execute(ENQUEUE, List.of(keys.filePending(), keys.fileOrders(), keys.fileAssigned()),
                order.paymentId(), Long.toString(clock.millis()), EventJson.write(json));
        boolean now = queued != null && queued == 1;
        if (now) {
            LOG.info("Queued {} for the next bank file", order);
        }
        return now;
    }

    /** The batch of the latest cut-off at or before now, e.g. {@code 20261201T150000000Z}. */
    public String currentBatchId() {
        Instant now = clock.instant();
        if (cutoffIntervalMillis > 0) {
            return SLOT.format(Instant.ofEpochMilli(now.toEpochMilli() / cutoffIntervalMillis * cutoffIntervalMillis));
        }
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalTime time = LocalTime.ofInstant(now, ZoneOffset.UTC);
        Optional<LocalTime> today = cutoffTimes.stream().filter(t -> !t.isAfter(time)).reduce((a, b) -> b);
        Instant slot = today.map(t -> day.atTime(t).toInstant(ZoneOffset.UTC))
                .orElseGet(() -> day.minusDays(1).atTime(cutoffTimes.get(cutoffTimes.size() - 1))
                        .toInstant(ZoneOffset.UTC));
        return SLOT.format(slot);
    }

    /**
     * The cut-off run: cuts the current cut-off's batch if no instance has (an empty batch writes no file), then
     * answers every batch cut and not yet written, to be written now.
     */
    public List<BatchFile> cutOff() {
        String batchId = currentBatchId();
        Long cut = redis.execute(CUT, List.of(keys.filePending(), keys.fileAssigned(), keys.fileBatch(batchId),
                keys.fileBatchState(batchId), keys.fileUnwritten()), batchId, Long.toString(clock.millis()),
                Long.toString(KEEP_SECONDS));
        if (cut != null && cut > 0) {
            LOG.info("Cut-off {}: {} payment(s) put in a bank file", batchId, cut);
        }
        Set<String> unwritten = redis.opsForZSet().range(keys.fileUnwritten(), 0, -1);
        List<BatchFile> files = new ArrayList<>();
        if (unwritten != null) {
            for (String batch : unwritten) {
                // one writer per file at a time; a writer that died lets go when its lease runs out
                if (Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(keys.fileBatchWriting(batch), "1",
                        WRITE_LEASE))) {
                    files.add(render(batch));
                }
            }
        }
        return files;
    }

    /** The batch's file is on disk (renamed into place): not written again. */
    public void written(String batchId) {
        List<String> ids = redis.opsForList().range(keys.fileBatch(batchId), 0, -1);
        redis.opsForValue().set(keys.fileBatchState(batchId), "written|" + clock.millis(),
                java.time.Duration.ofSeconds(KEEP_SECONDS));
        redis.opsForZSet().remove(keys.fileUnwritten(), batchId);
        redis.delete(keys.fileBatchWriting(batchId));
        if (ids != null && !ids.isEmpty()) {
            redis.opsForHash().delete(keys.fileOrders(), ids.toArray());
        }
        LOG.info("Bank file {} written", fileName(batchId));
    }

    public static String fileName(String batchId) {
        return "payments-" + batchId + ".txt";
    }

    /** The batch a payment was put in; empty while it waits for a cut-off (or was never queued). */
    public Optional<String> batchOf(String paymentId) {
        Object batch = redis.opsForHash().get(keys.fileAssigned(), paymentId);
        return Optional.ofNullable(batch).map(Object::toString);
    }

    private BatchFile render(String batchId) {
        List<String> ids = redis.opsForList().range(keys.fileBatch(batchId), 0, -1);
        String state = redis.opsForValue().get(keys.fileBatchState(batchId));
        long cutAt = state == null ? clock.millis() : Long.parseLong(state.split("\\|")[1]);
        StringBuilder out = new StringBuilder();
        out.append(record('H', field(batchId, 24) + field(originatorId, 35)
                + field(CREATED.format(Instant.ofEpochMilli(cutAt)), 20)));
        int count = 0;
        BigDecimal total = BigDecimal.ZERO;
        List<Object> orders = ids == null || ids.isEmpty() ? List.of()
                : redis.opsForHash().multiGet(keys.fileOrders(), new ArrayList<>(ids));
        for (int i = 0; ids != null && i < ids.size(); i++) {
            Object raw = orders.get(i);
            if (raw == null) {
                throw new IllegalStateException("the order of payment " + ids.get(i) + " in batch " + batchId
                        + " is missing");
            }
            JsonNode order = EventJson.parse(raw.toString(), "order");
            String claimId = order.path("claimId").asText();
            BigDecimal amount = order.path("amount").decimalValue();
            String currency = order.path("currency").asText();
            ClaimState claim = snapshots.read(claimId).orElse(null);
            String payee = claim == null ? "" : personalData.get().reveal(claimId, ClaimantContacts.claimantName(claim));
            String policy = claim == null || claim.policyNumber() == null ? "" : claim.policyNumber();
            int decimals = Math.max(0, amount.scale());
            BigDecimal minor = amount.movePointRight(decimals);
            out.append(record('D', field(ids.get(i), 35) + field(claimId, 12) + field(currency, 3)
                    + number(minor.toBigIntegerExact().toString(), 15) + decimals
                    + field(payee, 70) + field(policy, 20)));
            count++;
            total = total.add(minor);
        }
        out.append(record('T', number(Integer.toString(count), 8)
                + number(total.toBigIntegerExact().toString(), 18)));
        return new BatchFile(batchId, fileName(batchId), out.toString(), count);
    }

    private static String record(char type, String body) {
        String line = type + body;
        return (line.length() >= RECORD_LENGTH ? line.substring(0, RECORD_LENGTH)
                : line + " ".repeat(RECORD_LENGTH - line.length())) + "\n";
    }

    // left-aligned, space-padded, cut to the width; line breaks and control characters become spaces
    static String field(String value, int width) {
        String text = value == null ? "" : value.replaceAll("\\p{Cntrl}", " ");
        return text.length() >= width ? text.substring(0, width) : text + " ".repeat(width - text.length());
    }

    // right-aligned, zero-padded
    private static String number(String digits, int width) {
        if (digits.length() > width) {
            throw new IllegalArgumentException("amount " + digits + " does not fit " + width + " digits");
        }
        return "0".repeat(width - digits.length()) + digits;
    }
}
