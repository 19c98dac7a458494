package io.claimshub.analytics;

import java.util.Map;

/**
 * An entry of the claim log as the analytics take it: its id in the log and its fields. {@code fromLog} says the
 * fields were read from the log under that id (so they are the ones the claim's event was appended with); an entry
 * handed over otherwise (a dead letter or archived entry replayed from a copy) is {@code false}, and is counted from
 * its claim's stream only.
 */
public record LogEntry(String id, Map<String, String> fields, boolean fromLog) {

    /** An entry read from the log. */
    public LogEntry(String id, Map<String, String> fields) {
        this(id, fields, true);
    }
}
