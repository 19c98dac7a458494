package io.claimshub.ops;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Redis stream entry ids ({@code <ms>-<seq>}, both unsigned 64-bit): parsing, ordering, the time an id was made at and
 * the id just before another.
 */
public final class StreamIds {

    private static final Pattern ID = Pattern.compile("[0-9]{1,20}-[0-9]{1,20}");
    public static final String ZERO = "0-0";

    private StreamIds() {
    }

    /** Whether {@code id} is a complete, well-formed entry id within the 64-bit range of both parts. */
    public static boolean isValid(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return false;
        }
        int dash = id.indexOf('-');
        return fits(id.substring(0, dash)) && fits(id.substring(dash + 1));
    }

    private static boolean fits(String part) {
        return part.length() < 20 || part.compareTo("18446744073709551615") <= 0;
    }

    public static int compare(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int byTime = Long.compareUnsigned(Long.parseUnsignedLong(a.substring(0, dashA)),
                Long.parseUnsignedLong(b.substring(0, dashB)));
        return byTime != 0 ? byTime : Long.compareUnsigned(Long.parseUnsignedLong(a.substring(dashA + 1)),
                Long.parseUnsignedLong(b.substring(dashB + 1)));
    }

    /** The milliseconds part: when Redis made the id (for ids it generated). */
    public static long millis(String id) {
        return Long.parseUnsignedLong(id.substring(0, id.indexOf('-')));
    }

    /** The first id Redis could make at or after {@code instant}. */
    public static String firstAt(Instant instant) {
        return Math.max(0, instant.toEpochMilli()) + "-0";
    }

    /**
     * The greatest id below {@code id} that every client can read ({@code 0-0} for {@code 0-0}): below {@code <ms>-0}
     * that is {@code <ms-1>-9223372036854775807}, since Jedis reads a sequence as a signed long (a group positioned at
     * a larger one could not be listed); no stream has that many entries in one millisecond.
     */
    public static String before(String id) {
        int dash = id.indexOf('-');
        long ms = Long.parseUnsignedLong(id.substring(0, dash));
        long seq = Long.parseUnsignedLong(id.substring(dash + 1));
        if (seq != 0) {
            return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq - 1);
        }
        return ms == 0 ? ZERO : Long.toUnsignedString(ms - 1) + "-" + Long.MAX_VALUE;
    }
}
