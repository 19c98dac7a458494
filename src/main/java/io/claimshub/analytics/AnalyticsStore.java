package io.claimshub.analytics;

import io.claimshub.event.ClaimIds;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.store.ClaimKeys;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Counts batches of claim-log entries into the analytics records, exactly once per claim version: each claim has a
 * cursor (last version counted, and the facts later events need); a batch reads the cursors, checks that the entries
 * delivered are their claims' own events (or reads the claims' own streams from the cursors when they are not, or
 * a version is missing) in one round trip, folds the events in stream order ({@link ClaimAnalytics}), adds up the
 * batch's changes per record and field, and writes them with every claim's new cursor in one atomic script, only if
 * no claim's cursor moved meanwhile (one round trip; a claim that moved is counted again, the others are written
 * without it). So delivery order, redelivery and concurrent instances give the numbers of one in-order pass over
 * each claim's stream. See docs/analytics.md.
 */
public final class AnalyticsStore {

    private static final AnalyticsScript READ = new AnalyticsScript("redis/analytics-read.lua");
    private static final AnalyticsScript APPLY = new AnalyticsScript("redis/analytics-apply.lua");
    private static final int MAX_ATTEMPTS = 20;
    private static final String LIVE = "live";

    private final RedisConnectionFactory connectionFactory;
    private final AnalyticsKeys keys;
    private final Duration dailyRetention;
    private final Duration hourlyRetention;
    private final Clock clock;
    private final AnalyticsMetrics metrics;
    // this store's apply tokens: a random start (other stores, other instances) and a count
    private final String tokenBase = Long.toHexString(new SecureRandom().nextLong()) + ":";
    private final AtomicLong tokens = new AtomicLong();

    public AnalyticsStore(RedisConnectionFactory connectionFactory, AnalyticsKeys keys, Duration dailyRetention,
                          Duration hourlyRetention, Clock clock, AnalyticsMetrics metrics) {
        this.connectionFactory = connectionFactory;
        this.keys = keys;
        this.dailyRetention = dailyRetention;
        this.hourlyRetention = hourlyRetention;
        this.clock = clock;
        this.metrics = metrics;
    }

    public AnalyticsKeys keys() {
        return keys;
    }

    /**
     * Counts the entries' claims up to the versions delivered, into the live generation (and the one being rebuilt).
     *
     * @return by entry id, why an entry is dead-lettered instead (not a claim event, or not its claim stream's)
     */
    public Map<String, String> count(List<LogEntry> entries) {
        Map<String, String> deadLetters = new LinkedHashMap<>();
        countClaims(delivered(entries, deadLetters), LIVE, deadLetters);
        return deadLetters;
    }

    /**
     * As {@link #count(List)}, into the generation being rebuilt only, in parts of whole claims of about {@code part}
     * entries each (a script call each); false when that rebuild is no longer on.
     */
    boolean countIntoRebuild(List<LogEntry> entries, long generation, int part) {
        List<Claim> claims = delivered(entries, new HashMap<>());
        List<Claim> chunk = new ArrayList<>();
        int size = 0;
        for (int c = 0; c < claims.size(); c++) {
            chunk.add(claims.get(c));
            size += claims.get(c).delivered.size();
            if (size >= part || c == claims.size() - 1) {
                if (!countClaims(chunk, Long.toString(generation), null)) {
                    return false;
                }
                chunk = new ArrayList<>();
                size = 0;
            }
        }
        return true;
    }

    /** An entry's version and event id; entries that lack them are dead letters. */
    private record Delivered(LogEntry entry, long version, String eventId) {
    }

    /** A claim of the batch: its entries delivered, the newest version among them, one entry per version from the log. */
    private static final class Claim {
        final String id;
        final List<Delivered> delivered = new ArrayList<>(2);
        final Map<Long, Delivered> fromLog = new HashMap<>(4);
        long newest;

        Claim(String id) {
            this.id = id;
        }

        void add(Delivered d) {
            delivered.add(d);
            newest = Math.max(newest, d.version());
            if (d.entry().fromLog()) {
                fromLog.putIfAbsent(d.version(), d);
            }
        }
    }

    private static List<Claim> delivered(List<LogEntry> entries, Map<String, String> deadLetters) {
        Map<String, Claim> byClaim = new LinkedHashMap<>();
        for (LogEntry entry : entries) {
            Map<String, String> fields = entry.fields();
            String claimId = fields.get(StreamEntryCodec.CLAIM_ID);
            String eventId = fields.get(StreamEntryCodec.EVENT_ID);
            long claimVersion = parseVersion(fields.get(StreamEntryCodec.CLAIM_VERSION));
            if (!ClaimIds.isValid(claimId)) {
                deadLetters.put(entry.id(), "claimId is missing or not a claim id");
            } else if (claimVersion < 1) {
                deadLetters.put(entry.id(), "claimVersion is missing or not a whole number from 1");
            } else if (eventId == null || eventId.isBlank()) {
                deadLetters.put(entry.id(), "eventId is missing");
            } else {
                byClaim.computeIfAbsent(claimId, Claim::new).add(new Delivered(entry, claimVersion, eventId));
            }
        }
        return new ArrayList<>(byClaim.values());
    }

    private static long parseVersion(String version) {
        if (version == null || version.isEmpty() || version.length() > 18) {
            return -1;
        }
        for (int i = 0; i < version.length(); i++) {
            char c = version.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(version);
    }

    // counts until every claim is applied; false when a rebuild being counted into has ended
    private boolean countClaims(List<Claim> claims, String mode, Map<String, String> deadLetters) {
        if (claims.isEmpty()) {
            return true;
        }
        try (RedisConnection connection = connectionFactory.getConnection()) {
            List<Claim> pending = claims;
            boolean firstRead = true;
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("analytics: " + pending.size() + " claims were counted by others "
                            + MAX_ATTEMPTS + " times in a row while this batch read them");
                }
                Read read = read(connection, pending, mode);
                if (!LIVE.equals(mode) && !mode.equals(read.rebuilding)) {
                    return false;
                }
                Batch batch = new Batch(read.generation, read.rebuilding, read.token);
                for (int c = 0; c < pending.size(); c++) {
                    plan(pending.get(c), read.cursors.get(c), read.entries.get(c), batch,
                            firstRead ? deadLetters : null);
                }
                firstRead = false;
                pending = batch.groups.isEmpty() ? List.of() : apply(connection, batch);
            }
            return true;
        }
    }

    private record Read(long generation, String rebuilding, String token, List<List<Object>> cursors,
                        List<List<Object>> entries) {
    }

    @SuppressWarnings("unchecked")
    private Read read(RedisConnection connection, List<Claim> claims, String mode) {
        Args args = new Args(3 + 3 * claims.size() + 1 + 2 * claims.size() + 3 * claims.size());
        args.add(keys.generation()).add(keys.rebuilding()).add(keys.applied());
        for (Claim claim : claims) {
            args.add(keys.cursorOfValid(claim.id)).add(ClaimKeys.claimStream(claim.id)).add(ClaimKeys.eventIds(claim.id));
        }
        args.add(mode);
        for (Claim claim : claims) {
            args.add(claim.newest).add(claim.fromLog.size());
            for (Delivered d : claim.fromLog.values()) {
                args.add(d.version()).add(d.eventId()).add(d.entry().id());
            }
        }
        List<Object> reply = READ.run(connection, 3 + 3 * claims.size(), args.toArray());
        List<List<Object>> cursors = new ArrayList<>(claims.size());
        List<List<Object>> entries = new ArrayList<>(claims.size());
        for (int i = 3; i + 1 < reply.size(); i += 2) {
            cursors.add((List<Object>) reply.get(i));
            entries.add((List<Object>) reply.get(i + 1));
        }
        return new Read(Long.parseLong(string(reply.get(0))), string(reply.get(1)), string(reply.get(2)), cursors,
                entries);
    }

    /** The changes of one batch, by claim and generation; the generations and the apply token its read found. */
    private static final class Batch {
        final long generation;
        final String rebuilding;
        final String token;
        final List<Group> groups = new ArrayList<>();

        Batch(long generation, String rebuilding, String token) {
            this.generation = generation;
            this.rebuilding = rebuilding;
            this.token = token;
        }
    }

    private record Group(Claim claim, long generation, long expectedVersion, ClaimCursor cursor,
                         AnalyticsDeltas deltas) {
    }

    /** Folds the claim's unseen events for each generation being counted into. */
    private void plan(Claim claim, List<Object> cursorTexts, List<Object> entries, Batch batch,
                      Map<String, String> deadLetters) {
        List<Long> generations = new ArrayList<>(2);
        if (cursorTexts.size() == 2 || batch.rebuilding.isEmpty()) {
            generations.add(batch.generation);
        }
        if (!batch.rebuilding.isEmpty()) {
            generations.add(Long.parseLong(batch.rebuilding));
        }
        List<ClaimCursor> cursors = new ArrayList<>(cursorTexts.size());
        long oldest = Long.MAX_VALUE;
        for (Object text : cursorTexts) {
            ClaimCursor cursor = ClaimCursor.decode(string(text));
            cursors.add(cursor);
            oldest = Math.min(oldest, cursor.version());
        }
        // the claim's events after the oldest cursor: the entries delivered (checked by the read as the claim's own),
        // or, when that could not be, those the read took from the claim's stream
        boolean delivered = !entries.isEmpty() && !(entries.get(0) instanceof List);
        int count = entries.size();
        String[] entryIds = new String[count];
        List<Map<String, String>> fields = new ArrayList<>(count);
        for (int e = 0; e < count; e++) {
            if (delivered) {
                entryIds[e] = string(entries.get(e));
                fields.add(claim.fromLog.get(oldest + e + 1).entry().fields());
            } else {
                List<?> entry = (List<?>) entries.get(e);
                entryIds[e] = string(entry.get(0));
                fields.add(fields((List<?>) entry.get(1)));
            }
        }
        if (deadLetters != null) {
            checkDelivered(claim, fields, oldest, deadLetters);
        }
        AnalyticsEvent[] events = new AnalyticsEvent[count];
        for (int g = 0; g < cursors.size(); g++) {
            ClaimCursor cursor = cursors.get(g);
            AnalyticsDeltas deltas = new AnalyticsDeltas();
            ClaimCursor next = cursor;
            for (int e = (int) (cursor.version() - oldest); e < count; e++) {
                if (events[e] == null) {
                    events[e] = AnalyticsEvent.fromFields(fields.get(e));
                }
                next = ClaimAnalytics.apply(next, claim.id, oldest + e + 1, entryIds[e], events[e], deltas);
            }
            if (next.version() > cursor.version()) {
                batch.groups.add(new Group(claim, generations.get(g), cursor.version(), next, deltas));
            }
        }
    }

    // an entry is the event its claim's stream holds at its version; checked where this read has that version
    private static void checkDelivered(Claim claim, List<Map<String, String>> stream, long oldest,
                                       Map<String, String> deadLetters) {
        for (Delivered d : claim.delivered) {
            if (d.version() <= oldest) {
                continue;
            }
            int index = (int) (d.version() - oldest - 1);
            if (index >= stream.size()) {
                deadLetters.put(d.entry().id(), "not in its claim's stream: " + claim.id + " has no version " + d.version());
            } else if (!d.eventId().equals(stream.get(index).get(StreamEntryCodec.EVENT_ID))) {
                deadLetters.put(d.entry().id(), "not its claim stream's event: version " + d.version() + " of "
                        + claim.id + " is another event");
            }
        }
    }

    /**
     * Writes the batch's changes and cursors in one script, without the claims whose cursors moved since they were
     * read; answers those claims, to be counted again.
     */
    private List<Claim> apply(RedisConnection connection, Batch batch) {
        Set<Claim> retry = new LinkedHashSet<>();
        List<Group> groups = batch.groups;
        while (!groups.isEmpty()) {
            List<Object> skipped = APPLY.run(connection, 3, applyArgs(batch, groups));
            if (skipped.size() == 1 && Long.valueOf(-1).equals(skipped.get(0))) {
                groups.forEach(group -> retry.add(group.claim()));
                break;
            }
            if (skipped.isEmpty()) {
                for (Group group : groups) {
                    if (group.generation() == batch.generation) {
                        group.deltas().metrics().forEach(metrics::record);
                    }
                }
                break;
            }
            // nothing was written: write the others without the claims that moved
            for (Object s : skipped) {
                retry.add(groups.get(((Number) s).intValue() - 1).claim());
            }
            List<Group> others = new ArrayList<>(groups.size());
            for (Group group : groups) {
                if (!retry.contains(group.claim())) {
                    others.add(group);
                }
            }
            groups = others;
        }
        return new ArrayList<>(retry);
    }

    /** What the batch adds to one field or member of one record (a processing time is set, the last one wins). */
    private static final class Sum {
        long amount;
        String score;
    }

    private record Field(int record, AnalyticsChange.Op op, String member) {
    }

    /**
     * The apply script's arguments: the expected generations, the token the read found and a new one, the cursors'
     * expiry, the records written (name, expiry,
     * key set, suffix), the cursors (key, field, expected version, new cursor) and the changes added up per record and
     * field (op, record, member, amount).
     */
    private byte[][] applyArgs(Batch batch, List<Group> groups) {
        Map<AnalyticsKey, Integer> liveRecords = new HashMap<>();
        Map<AnalyticsKey, Integer> rebuildRecords = new HashMap<>();
        List<String> records = new ArrayList<>();
        Map<Field, Sum> sums = new LinkedHashMap<>();
        for (Group group : groups) {
            boolean live = group.generation() == batch.generation;
            for (AnalyticsChange change : group.deltas().changes()) {
                AnalyticsKey key = change.key();
                Integer record = (live ? liveRecords : rebuildRecords).get(key);
                if (record == null) {
                    record = records.size() / 4 + 1;
                    (live ? liveRecords : rebuildRecords).put(key, record);
                    Duration retention = key.kind() == AnalyticsKey.Kind.HOURLY ? hourlyRetention : dailyRetention;
                    records.add(keys.record(key, live));
                    records.add(Long.toString(key.periodEnd().plus(retention).getEpochSecond()));
                    records.add(keys.keySet(group.generation()));
                    records.add(AnalyticsKeys.suffix(key));
                }
                Sum sum = sums.computeIfAbsent(new Field(record, change.op(), change.member()), f -> new Sum());
                if (change.op() == AnalyticsChange.Op.SCORE) {
                    sum.score = change.amount();
                } else {
                    sum.amount += Long.parseLong(change.amount());
                }
            }
        }
        Args args = new Args(3 + 7 + records.size() + 4 * groups.size() + 4 * sums.size());
        args.add(keys.generation()).add(keys.rebuilding()).add(keys.applied());
        args.add(batch.generation).add(batch.rebuilding).add(batch.token).add(tokenBase + tokens.incrementAndGet())
                .add(clock.instant().plus(dailyRetention).getEpochSecond());
        args.add(records.size() / 4);
        records.forEach(args::add);
        args.add(groups.size());
        for (Group group : groups) {
            args.add(keys.cursorOfValid(group.claim().id)).add(AnalyticsKeys.cursorField(group.generation()))
                    .add(group.expectedVersion()).add(group.cursor().encode());
        }
        sums.forEach((field, sum) -> {
            args.add(field.op().code()).add(field.record()).add(field.member());
            if (field.op() == AnalyticsChange.Op.SCORE) {
                args.add(sum.score);
            } else {
                args.add(sum.amount);
            }
        });
        return args.toArray();
    }

    /** A script's keys and arguments, as the bytes sent. */
    private static final class Args {
        private byte[][] values;
        private int size;

        Args(int capacity) {
            values = new byte[Math.max(8, capacity)][];
        }

        Args add(String value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Args add(long value) {
            return add(Long.toString(value));
        }

        byte[][] toArray() {
            return size == values.length ? values : Arrays.copyOf(values, size);
        }
    }

    private static Map<String, String> fields(List<?> pairs) {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            fields.put(string(pairs.get(i)), string(pairs.get(i + 1)));
        }
        return fields;
    }

    private static String string(Object raw) {
        return raw instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(raw);
    }
}
