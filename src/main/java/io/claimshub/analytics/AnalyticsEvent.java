package io.claimshub.analytics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import io.claimshub.event.EventJson;
import io.claimshub.event.StreamEntryCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * One event of a claim's stream as the analytics read it: its type (any text, so a foreign or future type can be
 * counted as unknown instead of failing), its own timestamp and its raw data.
 */
public record AnalyticsEvent(String eventType, Instant timestamp, JsonNode data) {

    private static final ObjectReader JSON = EventJson.mapper().readerFor(JsonNode.class);

    /**
     * Reads an entry of a claim's stream. Data that is not JSON reads as missing (the event then counts as unknown);
     * only the fields the analytics read of its type ({@link ClaimAnalytics#dataFields}) are kept.
     *
     * @throws IllegalArgumentException when the entry has no readable timestamp, so no day to count it on
     */
    public static AnalyticsEvent fromFields(Map<String, String> fields) {
        String type = fields.getOrDefault(StreamEntryCodec.EVENT_TYPE, "");
        Instant timestamp = timestamp(fields.get(StreamEntryCodec.TIMESTAMP));
        JsonNode data = null;
        Set<String> wanted = ClaimAnalytics.dataFields(type);
        if (wanted != null) {
            try {
                String text = fields.get(StreamEntryCodec.DATA);
                data = text == null ? null : data(text, wanted);
            } catch (Exception e) {
                data = null;
            }
        }
        return new AnalyticsEvent(type, timestamp, data == null ? MissingNode.getInstance() : data);
    }

    /**
     * The JSON object's {@code wanted} fields (the rest is read, so malformed JSON or a duplicate key still fails, but
     * not kept); JSON that is not an object as it is.
     */
    static JsonNode data(String text, Set<String> wanted) throws IOException {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return JSON.readTree(text);
            }
            ObjectNode data = EventJson.mapper().getNodeFactory().objectNode();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (wanted.contains(name)) {
                    data.set(name, JSON.readTree(parser));
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new IOException("unexpected end of the data");
            }
            return data;
        }
    }

    /** {@link Instant#parse}, with a quick path for the hub's own form ({@code 2026-03-02T09:00:30.250Z}). */
    static Instant timestamp(String stamp) {
        if (stamp != null) {
            Instant quick = quick(stamp);
            if (quick != null) {
                return quick;
            }
        }
        try {
            return Instant.parse(stamp == null ? "" : stamp);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp is missing or unreadable");
        }
    }

    // yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z with every field in range; null for anything else (Instant.parse decides)
    private static Instant quick(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(s, 20, n - 1);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    // the decimal number in s[from, to), or -1 when it is not all ASCII digits
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
