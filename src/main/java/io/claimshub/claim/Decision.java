package io.claimshub.claim;

/** Whether the claim lifecycle accepts an event, and if not, why. */
public sealed interface Decision permits Decision.Accepted, Decision.Rejected {

    static Decision accepted() {
        return Accepted.INSTANCE;
    }

    static Decision rejected(String reason) {
        return new Rejected(reason);
    }

    record Accepted() implements Decision {
        private static final Accepted INSTANCE = new Accepted();
    }

    record Rejected(String reason) implements Decision {
    }
}
