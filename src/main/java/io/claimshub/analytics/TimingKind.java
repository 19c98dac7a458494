package io.claimshub.analytics;

/** The three processing times, each a sorted set per UTC day of the event that ends it. */
public enum TimingKind {
    /** submission to decision (approval or rejection): the seed's {@code processing_times}. */
    DECISION("processing_times"),
    /** submission to first assignment. */
    ASSIGNMENT("assignment_times"),
    /** approval to payment completion. */
    PAYMENT("payment_times");

    private final String setName;

    TimingKind(String setName) {
        this.setName = setName;
    }

    public String setName() {
        return setName;
    }
}
