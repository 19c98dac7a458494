package io.claimshub.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.claimshub.event.EventJson;
import java.time.Instant;

/**
 * How far the analytics have counted one claim: the last version applied, that event's entry id in the claim's
 * stream, and the facts of earlier events that later ones need (when it was submitted, its type, region and
 * adjuster, when it was approved, what payment is under way).
 */
public record ClaimCursor(long version, String entryId, Instant submittedAt, String claimType, String region,
                          String adjuster, boolean assignedBefore, Instant approvedAt, Long paymentMinor,
                          String paymentCurrency) {

    /** A claim not counted yet. */
    public static final ClaimCursor NONE = new ClaimCursor(0, null, null, null, null, null, false, null, null, null);

    /** The first text of the facts in {@link #encode()}'s format (cursors written before it hold JSON there). */
    private static final char FORMAT = 'f';

    // the facts as cursors written before the compact format hold them (JSON); still read
    private record Facts(Instant submittedAt, String claimType, String region, String adjuster,
                         boolean assignedBefore, Instant approvedAt, Long paymentMinor, String paymentCurrency) {
    }

    ClaimCursor at(long newVersion, String newEntryId) {
        return new ClaimCursor(newVersion, newEntryId, submittedAt, claimType, region, adjuster, assignedBefore,
                approvedAt, paymentMinor, paymentCurrency);
    }

    ClaimCursor submitted(Instant at, String type, String inRegion) {
        return new ClaimCursor(version, entryId, at, type, inRegion, adjuster, assignedBefore, approvedAt,
                paymentMinor, paymentCurrency);
    }

    ClaimCursor assigned(String to) {
        return new ClaimCursor(version, entryId, submittedAt, claimType, region, to, true, approvedAt, paymentMinor,
                paymentCurrency);
    }

    ClaimCursor approved(Instant at) {
        return new ClaimCursor(version, entryId, submittedAt, claimType, region, adjuster, assignedBefore, at,
                paymentMinor, paymentCurrency);
    }

    ClaimCursor paying(Long minor, String currency) {
        return new ClaimCursor(version, entryId, submittedAt, claimType, region, adjuster, assignedBefore,
                approvedAt, minor, currency);
    }

    /**
     * {@code "<version>|<entryId>|f|<submitted>|<type>|<region>|<adjuster>|<assigned 0/1>|<approved>|<payment minor>|
     * <payment currency>"}: the version first, so the scripts can compare it. Times are epoch seconds, with
     * {@code .<nanoseconds>} when not whole; a fact not known is empty; {@code %} and {@code |} in text are written
     * {@code %25} and {@code %7C}.
     */
    public String encode() {
        StringBuilder text = new StringBuilder(96).append(version).append('|').append(entryId).append('|').append(FORMAT);
        appendTime(text.append('|'), submittedAt);
        appendText(text.append('|'), claimType);
        appendText(text.append('|'), region);
        appendText(text.append('|'), adjuster);
        text.append('|').append(assignedBefore ? '1' : '0');
        appendTime(text.append('|'), approvedAt);
        text.append('|');
        if (paymentMinor != null) {
            text.append(paymentMinor.longValue());
        }
        appendText(text.append('|'), paymentCurrency);
        return text.toString();
    }

    /** Reads {@link #encode()}'s text (or the JSON facts of older cursors); null or empty is a claim not counted yet. */
    public static ClaimCursor decode(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        try {
            int first = text.indexOf('|');
            int second = text.indexOf('|', first + 1);
            long version = Long.parseLong(text, 0, first, 10);
            String entryId = text.substring(first + 1, second);
            if (text.charAt(second + 1) == '{') {
                Facts facts = EventJson.mapper().readValue(text.substring(second + 1), Facts.class);
                return new ClaimCursor(version, entryId, facts.submittedAt(), facts.claimType(), facts.region(),
                        facts.adjuster(), facts.assignedBefore(), facts.approvedAt(), facts.paymentMinor(),
                        facts.paymentCurrency());
            }
            String[] parts = new String[9];
            int from = second + 1;
            for (int p = 0; p < 8; p++) {
                int bar = text.indexOf('|', from);
                if (bar < 0) {
                    throw new IllegalArgumentException("not a cursor");
                }
                parts[p] = text.substring(from, bar);
                from = bar + 1;
            }
            parts[8] = text.substring(from);
            if (parts[8].indexOf('|') >= 0 || parts[0].length() != 1 || parts[0].charAt(0) != FORMAT) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new ClaimCursor(version, entryId, time(parts[1]), text(parts[2]), text(parts[3]), text(parts[4]),
                    "1".equals(parts[5]), time(parts[6]), parts[7].isEmpty() ? null : Long.parseLong(parts[7]),
                    text(parts[8]));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("unreadable analytics cursor", e);
        }
    }

    private static void appendTime(StringBuilder text, Instant at) {
        if (at != null) {
            text.append(at.getEpochSecond());
            if (at.getNano() != 0) {
                text.append('.').append(at.getNano());
            }
        }
    }

    private static Instant time(String part) {
        if (part.isEmpty()) {
            return null;
        }
        int dot = part.indexOf('.');
        return dot < 0 ? Instant.ofEpochSecond(Long.parseLong(part))
                : Instant.ofEpochSecond(Long.parseLong(part, 0, dot, 10), Long.parseLong(part, dot + 1, part.length(), 10));
    }

    private static void appendText(StringBuilder text, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            // told apart from "not known" (empty)
            text.append("%00");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                text.append("%25");
            } else if (c == '|') {
                text.append("%7C");
            } else {
                text.append(c);
            }
        }
    }

    private static String text(String part) {
        if (part.isEmpty()) {
            return null;
        }
        if (part.indexOf('%') < 0) {
            return part;
        }
        if (part.equals("%00")) {
            return "";
        }
        return part.replace("%7C", "|").replace("%25", "%");
    }
}
