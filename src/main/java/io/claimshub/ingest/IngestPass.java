package io.claimshub.ingest;

/**
 * One reading of an ingest file: what became of its lines, the content they were read from, and whether its last
 * line was held back as possibly unfinished (then the file is not done with).
 */
public record IngestPass(FileIngestResult result, FileContent content, boolean endHeldBack) {
}
