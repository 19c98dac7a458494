package io.claimshub.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.StreamEntryCodec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One event of a claim's stream as the analytics read it: its type (any text, so a foreign or future type can be
 * counted as unknown instead of failing), its own timestamp and its raw data.
 */
public record AnalyticsEvent(String eventType, Instant timestamp, JsonNode data) {

    /**
     * Reads an entry of a claim's stream. Data that is not JSON reads as missing (the event then counts as unknown).
     *
     * @throws IllegalArgumentException when the entry has no readable timestamp, so no day to count it on
     */
    public static AnalyticsEvent fromFields(Map<String, String> fields) {
        String type = fields.getOrDefault(StreamEntryCodec.EVENT_TYPE, "");
        String stamp = fields.get(StreamEntryCodec.TIMESTAMP);
        Instant timestamp;
        try {
            timestamp = Instant.parse(stamp == null ? "" : stamp);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp is missing or unreadable");
        }
        JsonNode data;
        try {
            String text = fields.get(StreamEntryCodec.DATA);
            data = text == null ? MissingNode.getInstance() : EventJson.mapper().readTree(text);
        } catch (Exception e) {
            data = MissingNode.getInstance();
        }
        return new AnalyticsEvent(type, timestamp, data == null ? MissingNode.getInstance() : data);
    }
}
