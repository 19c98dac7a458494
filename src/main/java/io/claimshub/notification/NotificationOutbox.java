package io.claimshub.notification;

/** The group's last step: a planned message, rendered, into its channel's outbox (once, by the send ledger). */
public final class NotificationOutbox {

    private final SendLedger ledger;

    public NotificationOutbox(SendLedger ledger) {
        this.ledger = ledger;
    }

    /** @param rendered the template's output, or null for a status update */
    public boolean enqueue(PlannedMessage planned, String rendered) {
        return ledger.enqueue(planned.rendered(rendered));
    }
}
