package io.claimshub.ingest;

/**
 * What became of an ingest file's lines: {@code accepted} lines are in the store (appended now, or found there from
 * an earlier ingestion), {@code rejected} ones are in the errors report. Blank lines count as neither.
 */
public record FileIngestResult(long accepted, long rejected) {

    public boolean allAccepted() {
        return rejected == 0;
    }
}
