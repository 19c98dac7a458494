package io.claimshub.analytics;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Members of the processing-time sets and their statistics. A member is the claim with what the API groups by:
 * {@code "<claimId> <type> <region> <adjuster>"}, each part percent-encoded (so free text cannot break it, and
 * {@code -} stands for a part not known); its score is the seconds taken, to the millisecond.
 */
public final class ProcessingTimes {

    public static final String NONE = "-";

    private ProcessingTimes() {
    }

    /** One timed claim, as read back from a member and its score. */
    public record Timed(String claimId, String claimType, String region, String adjuster, double seconds) {

        public String by(String dimension) {
            return switch (dimension) {
                case "type" -> claimType;
                case "region" -> region;
                case "adjuster" -> adjuster;
                default -> throw new IllegalArgumentException("unknown dimension " + dimension);
            };
        }
    }

    /** count, mean, p50, p90, p99 (nearest rank) and max, in seconds; the rest zero when count is zero. */
    public record Stats(long count, double mean, double p50, double p90, double p99, double max) {
    }

    static String member(String claimId, String claimType, String region, String adjuster) {
        return String.join(" ", encode(claimId), encode(claimType), encode(region), encode(adjuster));
    }

    public static Timed timed(String member, double seconds) {
        String[] parts = member.split(" ", -1);
        if (parts.length != 4) {
            return new Timed(member, NONE, NONE, NONE, seconds);
        }
        return new Timed(decode(parts[0]), decode(parts[1]), decode(parts[2]), decode(parts[3]), seconds);
    }

    /** Milliseconds as the seconds written in a score: {@code 90500} is {@code "90.5"}. */
    static String seconds(long millis) {
        if (millis < 0) {
            return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
        }
        long whole = millis / 1000;
        int fraction = (int) (millis % 1000);
        if (fraction == 0) {
            return Long.toString(whole);
        }
        StringBuilder text = new StringBuilder(24).append(whole).append('.').append((char) ('0' + fraction / 100));
        if (fraction % 100 != 0) {
            text.append((char) ('0' + fraction / 10 % 10));
            if (fraction % 10 != 0) {
                text.append((char) ('0' + fraction % 10));
            }
        }
        return text.toString();
    }

    public static Stats stats(double[] seconds) {
        if (seconds.length == 0) {
            return new Stats(0, 0, 0, 0, 0, 0);
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double s : sorted) {
            sum += s;
        }
        double mean = Math.round(sum / sorted.length * 1000) / 1000.0;
        return new Stats(sorted.length, mean, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /** The statistics of each group (in first-seen order of the group's value). */
    public static Map<String, Stats> statsBy(List<Timed> timed, Function<Timed, String> group) {
        Map<String, List<Double>> groups = new LinkedHashMap<>();
        timed.forEach(t -> groups.computeIfAbsent(group.apply(t), g -> new java.util.ArrayList<>()).add(t.seconds()));
        Map<String, Stats> result = new LinkedHashMap<>();
        groups.forEach((g, values) -> result.put(g, stats(values.stream().mapToDouble(Double::doubleValue).toArray())));
        return result;
    }

    // nearest rank: the smallest value with at least p % of the values at or below it
    private static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String encode(String part) {
        if (part == null) {
            return NONE;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            // what URLEncoder leaves as it is
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '*')) {
                return URLEncoder.encode(part, StandardCharsets.UTF_8);
            }
        }
        return part;
    }

    private static String decode(String part) {
        return NONE.equals(part) ? NONE : URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
