package io.claimshub.ops;

/**
 * The operations' Redis keys, each built here and only here.
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
    /** What was done, e.g. {@code group.position}. */
    public static final String AUDIT_ACTION = "action";
    /** What it was done to, e.g. {@code claims:events/analytics}. */
    public static final String AUDIT_TARGET = "target";
    /** Why, in the operator's words. */
    public static final String AUDIT_REASON = "reason";
    /** The action's particulars, as JSON. */
    public static final String AUDIT_DETAILS = "details";

    private OpsKeys() {
    }
}
