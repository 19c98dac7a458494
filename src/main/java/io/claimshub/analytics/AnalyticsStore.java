package io.claimshub.analytics;

import io.claimshub.event.ClaimIds;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.store.RedisScripts;
import io.claimshub.store.RedisTemplates;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Counts batches of claim-log entries into the analytics records, exactly once per claim version: each claim has a
 * cursor (last version counted, and the facts later events need); a batch reads the cursors and the claims' own
 * streams from there (one round trip), folds the events in stream order ({@link ClaimAnalytics}), and writes every
 * claim's changes with its new cursor in one atomic script that skips a claim whose cursor moved meanwhile (one round
 * trip; the skipped claims are counted again). So delivery order, redelivery and concurrent instances give the numbers
 * of one in-order pass over each claim's stream. See docs/analytics.md.
 */
public final class AnalyticsStore {

    private static final RedisScript<List<Object>> READ = RedisScripts.replies("redis/analytics-read.lua");
    private static final RedisScript<List<Object>> APPLY = RedisScripts.replies("redis/analytics-apply.lua");
    private static final int MAX_ATTEMPTS = 20;
    private static final String LIVE = "live";

    private final StringRedisTemplate redis;
    private final AnalyticsKeys keys;
    private final Duration dailyRetention;
    private final Duration hourlyRetention;
    private final Clock clock;
    private final AnalyticsMetrics metrics;

    public AnalyticsStore(RedisConnectionFactory connectionFactory, AnalyticsKeys keys, Duration dailyRetention,
                          Duration hourlyRetention, Clock clock, AnalyticsMetrics metrics) {
        this.redis = RedisTemplates.strings(connectionFactory);
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
        return count(entries, LIVE);
    }

    /** As {@link #count(List)}, into the generation being rebuilt only; false when that rebuild is no longer on. */
    boolean countIntoRebuild(List<LogEntry> entries, long generation) {
        Map<String, String> ignored = new HashMap<>();
        return countClaims(delivered(entries, ignored), Long.toString(generation), new HashMap<>());
    }

    private Map<String, String> count(List<LogEntry> entries, String mode) {
        Map<String, String> deadLetters = new LinkedHashMap<>();
        Map<String, List<Delivered>> byClaim = delivered(entries, deadLetters);
        countClaims(byClaim, mode, deadLetters);
        return deadLetters;
    }

    /** An entry's claim, version and event id; entries that lack them are dead letters. */
    private record Delivered(String entryId, long version, String eventId) {
    }

    private static Map<String, List<Delivered>> delivered(List<LogEntry> entries, Map<String, String> deadLetters) {
        Map<String, List<Delivered>> byClaim = new LinkedHashMap<>();
        for (LogEntry entry : entries) {
            Map<String, String> fields = entry.fields();
            String claimId = fields.get(StreamEntryCodec.CLAIM_ID);
            String eventId = fields.get(StreamEntryCodec.EVENT_ID);
            String version = fields.get(StreamEntryCodec.CLAIM_VERSION);
            long claimVersion = parseVersion(version);
            if (!ClaimIds.isValid(claimId)) {
                deadLetters.put(entry.id(), "claimId is missing or not a claim id");
            } else if (claimVersion < 1) {
                deadLetters.put(entry.id(), "claimVersion is missing or not a whole number from 1");
            } else if (eventId == null || eventId.isBlank()) {
                deadLetters.put(entry.id(), "eventId is missing");
            } else {
                byClaim.computeIfAbsent(claimId, c -> new ArrayList<>()).add(new Delivered(entry.id(), claimVersion, eventId));
            }
        }
        return byClaim;
    }

    private static long parseVersion(String version) {
        if (version == null || version.isEmpty() || version.length() > 18
                || !version.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(version);
    }

    // counts until every claim is applied; false when a rebuild being counted into has ended
    private boolean countClaims(Map<String, List<Delivered>> byClaim, String mode, Map<String, String> deadLetters) {
        Map<String, List<Delivered>> pending = new LinkedHashMap<>(byClaim);
        boolean firstRead = true;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("analytics: " + pending.size()
                        + " claims were counted by others " + MAX_ATTEMPTS + " times in a row while this batch read them");
            }
            Read read = read(pending, mode);
            if (!LIVE.equals(mode) && !mode.equals(read.rebuilding)) {
                return false;
            }
            Batch batch = new Batch(read.generation, read.rebuilding);
            List<String> claimIds = new ArrayList<>(pending.keySet());
            for (int c = 0; c < claimIds.size(); c++) {
                String claimId = claimIds.get(c);
                plan(claimId, pending.get(claimId), read.cursors.get(c), read.entries.get(c), batch,
                        firstRead ? deadLetters : null);
            }
            firstRead = false;
            List<String> retry = batch.groups.isEmpty() ? List.of() : apply(batch);
            Map<String, List<Delivered>> next = new LinkedHashMap<>();
            for (String claimId : retry) {
                next.put(claimId, pending.get(claimId));
            }
            pending = next;
        }
        return true;
    }

    private record Read(long generation, String rebuilding, List<List<String>> cursors, List<List<List<Object>>> entries) {
    }

    @SuppressWarnings("unchecked")
    private Read read(Map<String, List<Delivered>> byClaim, String mode) {
        List<String> scriptKeys = new ArrayList<>(2 + 2 * byClaim.size());
        List<String> args = new ArrayList<>(1 + byClaim.size());
        scriptKeys.add(keys.generation());
        scriptKeys.add(keys.rebuilding());
        args.add(mode);
        byClaim.forEach((claimId, delivered) -> {
            scriptKeys.add(keys.cursor(claimId));
            scriptKeys.add(io.claimshub.store.ClaimKeys.claimStream(claimId));
            args.add(Long.toString(delivered.stream().mapToLong(Delivered::version).max().orElse(0)));
        });
        List<Object> reply = redis.execute(READ, scriptKeys, args.toArray());
        List<List<String>> cursors = new ArrayList<>();
        List<List<List<Object>>> entries = new ArrayList<>();
        for (int i = 2; i + 1 < reply.size(); i += 2) {
            cursors.add(((List<Object>) reply.get(i)).stream().map(String::valueOf).toList());
            entries.add((List<List<Object>>) reply.get(i + 1));
        }
        return new Read(Long.parseLong(String.valueOf(reply.get(0))), String.valueOf(reply.get(1)), cursors, entries);
    }

    /** The changes of one batch, by claim and generation, with the records they touch. */
    private final class Batch {
        final long generation;
        final String rebuilding;
        final Map<String, Integer> recordIndex = new LinkedHashMap<>();
        final List<String> recordArgs = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();

        Batch(long generation, String rebuilding) {
            this.generation = generation;
            this.rebuilding = rebuilding;
        }

        int record(AnalyticsKey key, long gen) {
            boolean live = gen == generation;
            String name = keys.record(key, live);
            return recordIndex.computeIfAbsent(name, n -> {
                Duration retention = key.kind() == AnalyticsKey.Kind.HOURLY ? hourlyRetention : dailyRetention;
                recordArgs.add(n);
                recordArgs.add(Long.toString(key.periodEnd().plus(retention).getEpochSecond()));
                recordArgs.add(keys.keySet(gen));
                recordArgs.add(AnalyticsKeys.suffix(key));
                return recordIndex.size() + 1;
            });
        }
    }

    private record Group(String claimId, long generation, long expectedVersion, ClaimCursor cursor,
                         AnalyticsDeltas deltas) {
    }

    /** Folds the claim's unseen events for each generation being counted into. */
    private void plan(String claimId, List<Delivered> delivered, List<String> cursorTexts, List<List<Object>> entries,
                      Batch batch, Map<String, String> deadLetters) {
        List<Long> generations = new ArrayList<>();
        if (cursorTexts.size() == 2 || batch.rebuilding.isEmpty()) {
            generations.add(batch.generation);
        }
        if (!batch.rebuilding.isEmpty()) {
            generations.add(Long.parseLong(batch.rebuilding));
        }
        List<ClaimCursor> cursors = cursorTexts.stream().map(ClaimCursor::decode).toList();
        long oldest = cursors.stream().mapToLong(ClaimCursor::version).min().orElse(0);
        if (deadLetters != null) {
            checkDelivered(claimId, delivered, entries, oldest, deadLetters);
        }
        for (int g = 0; g < cursors.size(); g++) {
            ClaimCursor cursor = cursors.get(g);
            AnalyticsDeltas deltas = new AnalyticsDeltas();
            ClaimCursor next = cursor;
            for (int e = 0; e < entries.size(); e++) {
                long version = oldest + e + 1;
                if (version > cursor.version()) {
                    List<Object> entry = entries.get(e);
                    next = ClaimAnalytics.apply(next, claimId, version, String.valueOf(entry.get(0)),
                            AnalyticsEvent.fromFields(fields((List<?>) entry.get(1))), deltas);
                }
            }
            if (next.version() > cursor.version()) {
                batch.groups.add(new Group(claimId, generations.get(g), cursor.version(), next, deltas));
            }
        }
    }

    // an entry is the event its claim's stream holds at its version; checked where this read has that version
    private static void checkDelivered(String claimId, List<Delivered> delivered, List<List<Object>> entries,
                                       long oldest, Map<String, String> deadLetters) {
        for (Delivered d : delivered) {
            if (d.version() <= oldest) {
                continue;
            }
            int index = (int) (d.version() - oldest - 1);
            if (index >= entries.size()) {
                deadLetters.put(d.entryId(), "not in its claim's stream: " + claimId + " has no version " + d.version());
            } else if (!d.eventId().equals(fields((List<?>) entries.get(index).get(1)).get(StreamEntryCodec.EVENT_ID))) {
                deadLetters.put(d.entryId(), "not its claim stream's event: version " + d.version() + " of " + claimId
                        + " is another event");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> apply(Batch batch) {
        List<String> groupArgs = new ArrayList<>();
        String cursorExpireAt = Long.toString(clock.instant().plus(dailyRetention).getEpochSecond());
        for (Group group : batch.groups) {
            groupArgs.add(keys.cursor(group.claimId()));
            groupArgs.add(AnalyticsKeys.cursorField(group.generation()));
            groupArgs.add(Long.toString(group.expectedVersion()));
            groupArgs.add(group.cursor().encode());
            groupArgs.add(cursorExpireAt);
            List<AnalyticsChange> changes = group.deltas().changes();
            groupArgs.add(Integer.toString(changes.size()));
            for (AnalyticsChange change : changes) {
                groupArgs.add(change.op().code());
                groupArgs.add(Integer.toString(batch.record(change.key(), group.generation())));
                groupArgs.add(change.member());
                groupArgs.add(change.amount());
            }
        }
        List<String> args = new ArrayList<>(4 + batch.recordArgs.size() + groupArgs.size());
        args.add(Long.toString(batch.generation));
        args.add(batch.rebuilding);
        args.add(Integer.toString(batch.recordIndex.size()));
        args.addAll(batch.recordArgs);
        args.add(Integer.toString(batch.groups.size()));
        args.addAll(groupArgs);
        List<Object> skipped = redis.execute(APPLY, List.of(keys.generation(), keys.rebuilding()), args.toArray());
        if (skipped.size() == 1 && Long.valueOf(-1).equals(skipped.get(0))) {
            return batch.groups.stream().map(Group::claimId).distinct().toList();
        }
        List<String> retry = new ArrayList<>();
        java.util.Set<Integer> skippedGroups = new java.util.HashSet<>();
        skipped.forEach(s -> skippedGroups.add(((Number) s).intValue()));
        for (int g = 0; g < batch.groups.size(); g++) {
            Group group = batch.groups.get(g);
            if (skippedGroups.contains(g + 1)) {
                if (!retry.contains(group.claimId())) {
                    retry.add(group.claimId());
                }
            } else if (group.generation() == batch.generation) {
                group.deltas().metrics().forEach(metrics::record);
            }
        }
        return retry;
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
