package io.claimshub.integration;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.ClaimApproved;
import io.claimshub.event.ClaimAssigned;
import io.claimshub.event.ClaimDocumentUploaded;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.ClaimInvestigated;
import io.claimshub.event.ClaimPaymentCompleted;
import io.claimshub.event.ClaimPaymentInitiated;
import io.claimshub.event.ClaimRejected;
import io.claimshub.event.ClaimSubmitted;
import io.claimshub.event.ClaimType;
import io.claimshub.event.Claimant;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.ClaimIds;
import io.claimshub.claim.ClaimState;
import io.claimshub.store.AppendResult;
import io.claimshub.event.EventValidator;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.event.Money;
import io.claimshub.event.PaymentMethod;
import io.claimshub.event.Priority;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.PushOutcome;
import io.claimshub.store.SubmitOutcome;
import io.claimshub.component.redisstreams.RedisStreamsEntry;
import io.claimshub.testsupport.TestRedis;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamOffset;

/**
 * Real claim lifecycles made through the hub's own commands (ClaimCommands: validated, folded by the lifecycle,
 * appended with their snapshots): submitted, assigned, documents, sometimes investigated, approved (or rejected),
 * payment initiated and completed; a few stop early.
 */
public final class ClaimLifecycles {

    private static final String[] REGIONS = {"eu-west", "us-east", "apac"};
    private static final String[] CURRENCIES = {"EUR", "JPY", "USD"};

    private final ClaimCommands commands;

    public ClaimLifecycles(RedisConnectionFactory connectionFactory, String log) {
        this.commands = new ClaimCommands(new ClaimEventStore(connectionFactory, log), new ClaimLifecycle(),
                new EventValidator(), connectionFactory, Clock.systemUTC());
    }

    /** Makes {@code count} lifecycles on {@code threads} threads; answers the claim ids. */
    public List<String> make(int count, long seed, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int mine = count / threads + (t < count % threads ? 1 : 0);
                Random random = new Random(seed + t);
                parts.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < mine; i++) {
                        ids.add(lifecycle(random));
                    }
                    return ids;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<List<String>> part : parts) {
                ids.addAll(part.get());
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One claim's lifecycle; answers its id. */
    public String lifecycle(Random random) {
        return lifecycle(random, new Steps() {
            @Override
            public String submit(ClaimSubmitted submitted) {
                SubmitOutcome outcome = commands.submit(EventJson.mapper().valueToTree(submitted), null, null);
                if (!(outcome instanceof SubmitOutcome.Accepted accepted)) {
                    throw new IllegalStateException("submission refused: " + outcome);
                }
                return accepted.claimId();
            }

            @Override
            public void push(String claimId, ClaimEventData data) {
                PushOutcome outcome = commands.push(claimId, data.eventType().wireName(),
                        EventJson.mapper().valueToTree(data), null, null);
                if (!(outcome instanceof PushOutcome.Accepted)) {
                    throw new IllegalStateException(data.eventType().wireName() + " refused for " + claimId + ": "
                            + outcome);
                }
            }
        });
    }

    /** An event of a prepared lifecycle and the claim as it leaves it (its snapshot, to store with the append). */
    public record PreparedEvent(EventEnvelope event, ClaimState after) {
    }

    /**
     * The same lifecycle as {@link #lifecycle(Random)}, made ahead and not appended: its events (a new claim id, the
     * claimant's data as submitted) and the snapshot after each, folded by the hub's lifecycle. Appending them in order
     * ({@link #append}) is what the commands would do without their reads and checks, so a benchmark can write
     * lifecycles at a rate the commands could not reach on a small machine.
     */
    public static List<PreparedEvent> prepare(Random random) {
        ClaimLifecycle lifecycle = new ClaimLifecycle();
        List<PreparedEvent> events = new ArrayList<>();
        lifecycle(random, new Steps() {
            @Override
            public String submit(ClaimSubmitted submitted) {
                String claimId = ClaimIds.newClaimId();
                push(claimId, submitted);
                return claimId;
            }

            @Override
            public void push(String claimId, ClaimEventData data) {
                EventEnvelope event = EventEnvelope.of(claimId, Instant.now(), data);
                ClaimState before = events.isEmpty() ? null : events.get(events.size() - 1).after();
                events.add(new PreparedEvent(event, lifecycle.apply(before, event, events.size() + 1)));
            }
        });
        return events;
    }

    /** Appends a prepared lifecycle's events, each with its snapshot, to the store's log. */
    public static void append(ClaimEventStore store, List<PreparedEvent> events) {
        for (PreparedEvent prepared : events) {
            AppendResult result = store.append(prepared.event(), prepared.after().version() - 1, prepared.after());
            if (!(result instanceof AppendResult.Appended)) {
                throw new IllegalStateException("not appended: " + result);
            }
        }
    }

    private interface Steps {
        String submit(ClaimSubmitted submitted);

        void push(String claimId, ClaimEventData data);
    }

    private static String lifecycle(Random random, Steps steps) {
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        Money claimed = money(1000 + random.nextInt(5_000_000), currency);
        ClaimSubmitted submitted = new ClaimSubmitted("POL-" + (100000 + random.nextInt(900000)),
                ClaimType.values()[random.nextInt(ClaimType.values().length)], LocalDate.parse("2026-02-27"),
                "Scripted claim", claimed, new Claimant("Ada Lovelace", "ada@example.com", "+447700900123"),
                REGIONS[random.nextInt(REGIONS.length)], random.nextInt(4) == 0 ? Priority.URGENT : Priority.NORMAL);
        String claimId = steps.submit(submitted);
        if (random.nextInt(20) == 0) {
            return claimId;
        }
        Instant now = Instant.now();
        String adjuster = "ADJ-0" + (1 + random.nextInt(6));
        steps.push(claimId, new ClaimAssigned(adjuster, "Adjuster " + adjuster, now, now.plusSeconds(86_400)));
        for (int d = random.nextInt(3); d > 0; d--) {
            steps.push(claimId, new ClaimDocumentUploaded("DOC-" + d, "photo", "p" + d + ".jpg", "ada@example.com"));
        }
        if (random.nextInt(4) == 0) {
            steps.push(claimId, new ClaimInvestigated("INV-1", InvestigationOutcome.CLEARED, "reviewed"));
        }
        if (random.nextInt(5) == 0) {
            steps.push(claimId, new ClaimRejected("POLICY_EXCLUSION", "not covered", adjuster));
            return claimId;
        }
        Money approved = random.nextBoolean() ? claimed : new Money(claimed.amount().divide(BigDecimal.valueOf(2),
                claimed.amount().scale(), java.math.RoundingMode.DOWN), currency);
        steps.push(claimId, new ClaimApproved(approved, adjuster));
        if (random.nextInt(10) == 0) {
            return claimId;
        }
        String paymentId = "PAY-" + claimId.substring(4);
        steps.push(claimId, new ClaimPaymentInitiated(paymentId, approved, PaymentMethod.BANK_TRANSFER));
        if (random.nextInt(10) == 0) {
            return claimId;
        }
        steps.push(claimId, new ClaimPaymentCompleted(paymentId, Instant.now(), "REF-1"));
        return claimId;
    }

    private static Money money(long minor, String currency) {
        return new Money(BigDecimal.valueOf(minor, "JPY".equals(currency) ? 0 : 2), currency);
    }

    /** The log's entries, in order, as the consumer hands them in a batch. */
    public static List<RedisStreamsEntry> readLog(String log) {
        List<RedisStreamsEntry> entries = new ArrayList<>();
        for (MapRecord<String, Object, Object> record : TestRedis.template().opsForStream().read(StreamOffset.fromStart(log))) {
            Map<String, String> fields = new LinkedHashMap<>();
            record.getValue().forEach((k, v) -> fields.put(k.toString(), v.toString()));
            entries.add(new RedisStreamsEntry(record.getId().getValue(), fields, 1));
        }
        return entries;
    }

    /** The entries shuffled, a third of them twice. */
    public static List<RedisStreamsEntry> shuffledWithDuplicates(List<RedisStreamsEntry> entries, Random random) {
        List<RedisStreamsEntry> shuffled = new ArrayList<>(entries);
        for (int i = 0; i < entries.size() / 3; i++) {
            shuffled.add(entries.get(random.nextInt(entries.size())));
        }
        Collections.shuffle(shuffled, random);
        return shuffled;
    }
}
