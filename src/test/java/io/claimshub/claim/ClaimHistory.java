package io.claimshub.claim;

import static io.claimshub.event.ClaimEventFixtures.CLAIMED;
import static io.claimshub.event.ClaimEventFixtures.PAYMENT_ID;
import static io.claimshub.event.ClaimEventFixtures.assignment;
import static io.claimshub.event.ClaimEventFixtures.event;
import static io.claimshub.event.ClaimEventFixtures.approval;
import static io.claimshub.event.ClaimEventFixtures.paymentCompletion;
import static io.claimshub.event.ClaimEventFixtures.paymentInitiation;
import static io.claimshub.event.ClaimEventFixtures.rejection;
import static io.claimshub.event.ClaimEventFixtures.submission;

import io.claimshub.event.ClaimEventData;

/** Builds claim snapshots by applying sample events, so tests start from states the lifecycle can reach. */
final class ClaimHistory {

    private static final ClaimLifecycle LIFECYCLE = new ClaimLifecycle();

    private ClaimHistory() {
    }

    static ClaimState claimIn(ClaimStatus status) {
        return switch (status) {
            case SUBMITTED -> given(null, submission());
            case ASSIGNED -> given(claimIn(ClaimStatus.SUBMITTED), assignment());
            case APPROVED -> given(claimIn(ClaimStatus.ASSIGNED), approval(CLAIMED));
            case REJECTED -> given(claimIn(ClaimStatus.SUBMITTED), rejection());
            case PAYMENT_INITIATED -> given(claimIn(ClaimStatus.APPROVED), paymentInitiation(CLAIMED));
            case PAID -> given(claimIn(ClaimStatus.PAYMENT_INITIATED), paymentCompletion(PAYMENT_ID));
        };
    }

    /** The claim after {@code data} happened to it. */
    static ClaimState given(ClaimState state, ClaimEventData... history) {
        ClaimState current = state;
        for (ClaimEventData data : history) {
            current = LIFECYCLE.apply(current, event(data), current == null ? 1 : current.version() + 1);
        }
        return current;
    }
}
