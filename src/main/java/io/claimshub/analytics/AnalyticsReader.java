package io.claimshub.analytics;

import io.claimshub.store.RedisTemplates;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;

/** Reads the live analytics records for the API. */
public final class AnalyticsReader {

    private final StringRedisTemplate redis;
    private final AnalyticsKeys keys;

    public AnalyticsReader(RedisConnectionFactory connectionFactory, AnalyticsKeys keys) {
        this.redis = RedisTemplates.strings(connectionFactory);
        this.keys = keys;
    }

    /** The day's counters, by field (sorted); empty when nothing was counted. */
    public Map<String, Long> daily(LocalDate day) {
        return counters(redis.<String, String>opsForHash().entries(keys.daily(day)));
    }

    /** The 24 hours' counters of the day, in one round trip. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Long>> hourly(LocalDate day) {
        List<Object> replies = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (int hour = 0; hour < 24; hour++) {
                connection.hashCommands().hGetAll(keys.hourly(day, hour).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return null;
        });
        List<Map<String, Long>> hours = new ArrayList<>(24);
        for (Object reply : replies) {
            hours.add(counters((Map<String, String>) reply));
        }
        return hours;
    }

    /** The claims timed on the day, for one of the three processing times. */
    public List<ProcessingTimes.Timed> times(TimingKind kind, LocalDate day) {
        List<ProcessingTimes.Timed> timed = new ArrayList<>();
        var tuples = redis.opsForZSet().rangeWithScores(keys.times(kind, day), 0, -1);
        if (tuples != null) {
            for (ZSetOperations.TypedTuple<String> tuple : tuples) {
                timed.add(ProcessingTimes.timed(tuple.getValue(), tuple.getScore()));
            }
        }
        return timed;
    }

    /** A leaderboard set's members and scores. */
    public Map<String, Double> board(String board, LocalDate day, boolean monthly) {
        Map<String, Double> scores = new LinkedHashMap<>();
        var tuples = redis.opsForZSet().rangeWithScores(keys.board(board, day, monthly), 0, -1);
        if (tuples != null) {
            tuples.forEach(t -> scores.put(t.getValue(), t.getScore()));
        }
        return scores;
    }

    private static Map<String, Long> counters(Map<String, String> hash) {
        Map<String, Long> counters = new TreeMap<>();
        if (hash != null) {
            hash.forEach((field, value) -> counters.put(field, Long.parseLong(value)));
        }
        return counters;
    }
}
