package io.claimshub.analytics;

import java.util.Map;

/** An entry of the claim log as the analytics take it: its id in the log and its fields. */
public record LogEntry(String id, Map<String, String> fields) {
}
