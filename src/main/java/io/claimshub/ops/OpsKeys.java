package io.claimshub.ops;

/**
 * The one place the operations capability's Redis key patterns are built: the audit stream (and its fields), and the
 * streams and leases derived from the event log's name.
 */
public final class OpsKeys {

    /**
     * The operations audit stream: one entry per operator action that changed something, with the fields below.
     */
    public static final String AUDIT = "ops:audit";

    /** When (ISO-8601 instant). */
    public static final String AUDIT_AT = "at";
    /** Who (the operator named by the request). */
    public static final String AUDIT_WHO = "who";
    /** What was done, e.g. {@code group.position}, {@code dead-letter.replay}. */
    public static final String AUDIT_ACTION = "action";
    /** What it was done to, e.g. {@code claims:events/analytics}. */
    public static final String AUDIT_TARGET = "target";
    /** Why, in the operator's words. */
    public static final String AUDIT_REASON = "reason";
    /** The action's particulars. */
    public static final String AUDIT_DETAILS = "details";

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
