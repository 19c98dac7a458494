package io.claimshub.ingest;

/** A line of an ingest file with its 1-based number (for CSV, the line its row starts on). */
public record NumberedLine(long number, IngestLine line) {
}
