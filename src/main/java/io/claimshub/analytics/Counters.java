package io.claimshub.analytics;

/** The field names of the daily and hourly counter hashes. Amounts are in the currency's minor units. */
public final class Counters {

    public static final String SUBMITTED = "submitted";
    public static final String ASSIGNED = "assigned";
    public static final String DOCUMENTS = "documents";
    public static final String INVESTIGATED = "investigated";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String PAYMENTS_INITIATED = "payments_initiated";
    public static final String PAYMENTS_COMPLETED = "payments_completed";
    public static final String SLA_BREACHES = "sla_breaches";
    /** Events of a type the analytics do not know (a foreign or future type), or whose data they cannot read. */
    public static final String UNKNOWN = "unknown";

    private Counters() {
    }

    public static String submittedByType(String claimType) {
        return SUBMITTED + ":type:" + claimType;
    }

    public static String submittedByRegion(String region) {
        return SUBMITTED + ":region:" + region;
    }

    public static String submittedByPriority(String priority) {
        return SUBMITTED + ":priority:" + priority;
    }

    public static String amountClaimed(String currency) {
        return "amount_claimed:" + currency;
    }

    public static String amountApproved(String currency) {
        return "amount_approved:" + currency;
    }

    public static String amountPaid(String currency) {
        return "amount_paid:" + currency;
    }
}
