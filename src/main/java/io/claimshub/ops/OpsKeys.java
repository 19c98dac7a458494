package io.claimshub.ops;

/**
 * The one place the operations capability's Redis key patterns are built: the audit stream, and the streams and
 * leases derived from the event log's name.
 */
public final class OpsKeys {

    /** The operations audit stream: one entry per operator action (at, who, action, target, reason, details). */
    public static final String AUDIT = "ops:audit";

    private OpsKeys() {
    }

    /** {@code <log>:dlq}: the dead letters of every group reading the log (the redis-streams default). */
    public static String deadLetters(String log) {
        return log + ":dlq";
    }

    /**
     * {@code <log>:replay}: copies of log entries an operator sent back to one named group (a dead letter replayed,
     * an archived or live range re-read); the replay route hands each to that group's steps only.
     */
    public static String replays(String log) {
        return log + ":replay";
    }

    /** {@code ops:trim-lease:<stream>}: held by the one instance archiving and trimming that stream. */
    public static String trimLease(String stream) {
        return "ops:trim-lease:" + stream;
    }
}
