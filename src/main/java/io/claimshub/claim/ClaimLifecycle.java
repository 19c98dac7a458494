package io.claimshub.claim;

import io.claimshub.event.ClaimApproved;
import io.claimshub.event.ClaimAssigned;
import io.claimshub.event.ClaimEventData;
import io.claimshub.event.ClaimInvestigated;
import io.claimshub.event.ClaimPaymentCompleted;
import io.claimshub.event.ClaimPaymentFailed;
import io.claimshub.event.ClaimPaymentInitiated;
import io.claimshub.event.ClaimPolicyChecked;
import io.claimshub.event.ClaimRejected;
import io.claimshub.event.ClaimSlaBreached;
import io.claimshub.event.ClaimSubmitted;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventType;
import io.claimshub.event.InvalidEventException;
import io.claimshub.event.Money;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The claim state machine, in one place: {@link #decide} says whether an event may happen to a claim in its
 * current state, {@link #apply} folds an accepted event into the snapshot. See docs/claim-lifecycle.md.
 */
public final class ClaimLifecycle {

    private static final Set<ClaimStatus> OPEN_FOR_WORK = EnumSet.of(ClaimStatus.SUBMITTED, ClaimStatus.ASSIGNED);

    /**
     * @param state the claim's current snapshot, or {@code null} when the claim does not exist yet
     */
    public Decision decide(ClaimState state, EventEnvelope event) {
        ClaimEventData data;
        try {
            data = event.payload();
        } catch (InvalidEventException e) {
            return malformed(event, e);
        }
        return decide(state, event, data);
    }

    /** What {@link #decideAndApply} made of an event: the decision and, when it is accepted, the claim after it. */
    public record Applied(Decision decision, ClaimState next) {
    }

    /**
     * {@link #decide}, then {@link #apply} if the event is accepted, reading the event's data once.
     *
     * @throws IllegalStateException if the version does not follow on
     */
    public Applied decideAndApply(ClaimState state, EventEnvelope event, long newVersion) {
        ClaimEventData data;
        try {
            data = event.payload();
        } catch (InvalidEventException e) {
            return new Applied(malformed(event, e), null);
        }
        Decision decision = decide(state, event, data);
        if (decision instanceof Decision.Rejected) {
            return new Applied(decision, null);
        }
        return new Applied(decision, fold(state, event, data, newVersion));
    }

    private static Decision.Rejected malformed(EventEnvelope event, InvalidEventException e) {
        return new Decision.Rejected("malformed " + event.eventType() + " data: " + e.getMessage());
    }

    private Decision decide(ClaimState state, EventEnvelope event, ClaimEventData data) {
        EventType type = event.type();
        if (state == null) {
            return type == EventType.CLAIM_SUBMITTED
                    ? Decision.accepted()
                    : Decision.rejected("claim " + event.claimId() + " does not exist; it must be submitted first");
        }
        if (!state.claimId().equals(event.claimId())) {
            return Decision.rejected("event for claim " + event.claimId() + " cannot change claim " + state.claimId());
        }
        if (state.status() == ClaimStatus.PAID) {
            return Decision.rejected("claim " + state.claimId() + " is paid and closed; nothing can happen after that");
        }
        if (state.status() == ClaimStatus.REJECTED) {
            return type == EventType.CLAIM_PAYMENT_INITIATED
                    ? Decision.rejected("cannot pay a rejected claim")
                    : Decision.rejected("claim " + state.claimId() + " was rejected; it accepts no further events");
        }
        return switch (type) {
            case CLAIM_SUBMITTED -> Decision.rejected("claim " + state.claimId() + " has already been submitted");
            case CLAIM_ASSIGNED -> requireStatus(state, OPEN_FOR_WORK, "assign");
            case CLAIM_DOCUMENT_UPLOADED -> requireStatus(state, OPEN_FOR_WORK, "attach a document to");
            case CLAIM_INVESTIGATED -> requireStatus(state, EnumSet.of(ClaimStatus.ASSIGNED), "investigate");
            case CLAIM_APPROVED -> decideApproval(state, (ClaimApproved) data);
            case CLAIM_REJECTED -> requireStatus(state, OPEN_FOR_WORK, "reject");
            case CLAIM_PAYMENT_INITIATED -> decidePayment(state, (ClaimPaymentInitiated) data);
            case CLAIM_PAYMENT_COMPLETED -> decidePaymentCompletion(state, (ClaimPaymentCompleted) data);
            case CLAIM_SLA_BREACHED -> decideSlaBreach(state);
            case CLAIM_POLICY_CHECKED -> decidePolicyCheck(state, (ClaimPolicyChecked) data);
            case CLAIM_PAYMENT_FAILED -> decidePaymentFailure(state, (ClaimPaymentFailed) data);
        };
    }

    /**
     * Folds an event into the snapshot. The event must be one {@link #decide} accepts, and {@code newVersion}
     * the claim's next version (1 for the submission), i.e. the event's position in the claim's stream.
     *
     * @throws IllegalStateException if the lifecycle does not accept the event or the version does not follow on
     */
    public ClaimState apply(ClaimState state, EventEnvelope event, long newVersion) {
        ClaimEventData data;
        try {
            data = event.payload();
        } catch (InvalidEventException e) {
            throw new IllegalStateException("cannot apply " + event.eventType() + " " + event.eventId() + ": "
                    + malformed(event, e).reason(), e);
        }
        if (decide(state, event, data) instanceof Decision.Rejected rejected) {
            throw new IllegalStateException("cannot apply " + event.eventType() + " " + event.eventId() + ": "
                    + rejected.reason());
        }
        return fold(state, event, data, newVersion);
    }

    private static ClaimState fold(ClaimState state, EventEnvelope event, ClaimEventData data, long newVersion) {
        long expectedVersion = state == null ? 1 : state.version() + 1;
        if (newVersion != expectedVersion) {
            throw new IllegalStateException("claim " + event.claimId() + " is at version "
                    + (expectedVersion - 1) + "; the next event must be version " + expectedVersion
                    + ", not " + newVersion);
        }
        ClaimState next = switch (event.type()) {
            case CLAIM_SUBMITTED -> ClaimState.submitted(event.claimId(), (ClaimSubmitted) data, event.timestamp());
            case CLAIM_ASSIGNED -> {
                ClaimAssigned assigned = (ClaimAssigned) data;
                ClaimState reassigned = state.assignTo(assigned.adjusterId(), assigned.adjusterName(),
                        assigned.assignedAt(), assigned.slaDeadline());
                // the fraud screening travels in the event (hub extension), so the gate survives a replay
                yield assigned.requiresInvestigation()
                        ? reassigned.requireInvestigation(investigationReason(assigned))
                        : reassigned;
            }
            case CLAIM_DOCUMENT_UPLOADED -> state.addDocument();
            case CLAIM_INVESTIGATED -> state.recordInvestigation(((ClaimInvestigated) data).outcome());
            case CLAIM_APPROVED -> state.approve(((ClaimApproved) data).approvedAmount().amount(), event.timestamp());
            case CLAIM_REJECTED -> {
                ClaimRejected rejected = (ClaimRejected) data;
                yield state.reject(rejected.reasonCode(), rejected.reasonText(), event.timestamp());
            }
            case CLAIM_PAYMENT_INITIATED -> {
                ClaimPaymentInitiated payment = (ClaimPaymentInitiated) data;
                yield state.initiatePayment(payment.paymentId(), payment.amount().amount(), event.timestamp());
            }
            case CLAIM_PAYMENT_COMPLETED -> state.completePayment(((ClaimPaymentCompleted) data).paidAt());
            case CLAIM_SLA_BREACHED -> state.recordSlaBreach(((ClaimSlaBreached) data).breachedAt());
            case CLAIM_POLICY_CHECKED -> {
                ClaimPolicyChecked checked = (ClaimPolicyChecked) data;
                yield state.recordPolicyCheck(Boolean.TRUE.equals(checked.covered()), checked.policyStatus(),
                        checked.reason(), amountOf(checked.coverageLimit()), amountOf(checked.deductible()));
            }
            // recorded in the claim's history for a person to handle; the claim stays payment_initiated
            case CLAIM_PAYMENT_FAILED -> state;
        };
        return next.afterEvent(event.eventId(), event.timestamp(), newVersion);
    }

    private static String investigationReason(ClaimAssigned assigned) {
        List<String> reasons = assigned.investigationReasons();
        return reasons == null || reasons.isEmpty() ? "fraud indicators raised at assignment" : String.join("; ", reasons);
    }

    private static Decision requireStatus(ClaimState state, Set<ClaimStatus> allowed, String action) {
        return allowed.contains(state.status())
                ? Decision.accepted()
                : Decision.rejected("cannot " + action + " a claim that is " + state.status().wireName());
    }

    private static Decision decideApproval(ClaimState state, ClaimApproved approved) {
        if (state.status() == ClaimStatus.SUBMITTED) {
            return Decision.rejected("cannot approve an unassigned claim");
        }
        if (state.status() != ClaimStatus.ASSIGNED) {
            return Decision.rejected("cannot approve a claim that is " + state.status().wireName());
        }
        // the policy administration system said no: no adjuster can approve past that (docs/adapters.md)
        if (state.policyCheck() == PolicyCheck.NOT_COVERED) {
            return Decision.rejected("cannot approve claim " + state.claimId() + ": its policy does not cover it ("
                    + state.policyCheckReason() + ")");
        }
        if (state.awaitsInvestigationClearance()) {
            return Decision.rejected("cannot approve claim " + state.claimId() + " until an investigation clears it ("
                    + state.investigationReason() + ")");
        }
        return withinLimit(approved.approvedAmount(), "approved amount", state.claimedMoney(), "amount claimed");
    }

    /**
     * A claim is checked once: the first {@code claim.policy.checked} counts, a second one (a redelivered or duplicated
     * check) is refused. Limit and deductible must be in the claim's currency, so the approval cap can compare.
     */
    private static Decision decidePolicyCheck(ClaimState state, ClaimPolicyChecked checked) {
        if (state.policyCheck() != PolicyCheck.PENDING) {
            return Decision.rejected("the policy check of claim " + state.claimId() + " is already recorded ("
                    + state.policyCheck().wireName() + ")");
        }
        if (checked.covered() == null) {
            return Decision.rejected("covered is required");
        }
        for (Money amount : new Money[] {checked.coverageLimit(), checked.deductible()}) {
            if (amount != null && amount.currency() != null && !amount.currency().equals(state.currency())) {
                return Decision.rejected("policy amounts are in " + amount.currency() + " but the claim is in "
                        + state.currency());
            }
        }
        if (Boolean.TRUE.equals(checked.covered()) && checked.coverageLimit() == null) {
            return Decision.rejected("a covered claim's policy check needs the coverage limit");
        }
        return Decision.accepted();
    }

    private static java.math.BigDecimal amountOf(Money money) {
        return money == null ? null : money.amount();
    }

    private static Decision decidePayment(ClaimState state, ClaimPaymentInitiated payment) {
        if (state.status() != ClaimStatus.APPROVED) {
            return Decision.rejected("cannot pay a claim that is " + state.status().wireName()
                    + "; only approved claims are paid");
        }
        return withinLimit(payment.amount(), "payment amount", state.approvedMoney(), "approved amount");
    }

    private static Decision decidePaymentCompletion(ClaimState state, ClaimPaymentCompleted completed) {
        if (state.status() != ClaimStatus.PAYMENT_INITIATED) {
            return Decision.rejected("cannot complete a payment for a claim that is " + state.status().wireName()
                    + "; no payment has been initiated");
        }
        if (!Objects.equals(state.paymentId(), completed.paymentId())) {
            return Decision.rejected("payment " + completed.paymentId() + " was not initiated for claim "
                    + state.claimId() + "; expected payment " + state.paymentId());
        }
        return Decision.accepted();
    }

    private static Decision decidePaymentFailure(ClaimState state, ClaimPaymentFailed failed) {
        if (state.status() != ClaimStatus.PAYMENT_INITIATED) {
            return Decision.rejected("cannot record a failed payment for a claim that is " + state.status().wireName()
                    + "; no payment is in progress");
        }
        if (!Objects.equals(state.paymentId(), failed.paymentId())) {
            return Decision.rejected("payment " + failed.paymentId() + " was not initiated for claim "
                    + state.claimId() + "; expected payment " + state.paymentId());
        }
        return Decision.accepted();
    }

    private static Decision decideSlaBreach(ClaimState state) {
        if (state.status() != ClaimStatus.ASSIGNED) {
            return Decision.rejected("an SLA can only be breached by an assigned claim, not one that is "
                    + state.status().wireName());
        }
        // the scheduler may fire more than once for the same deadline; the first breach is the one that counts
        if (state.slaBreachedAt() != null) {
            return Decision.rejected("the SLA breach of claim " + state.claimId() + " is already recorded");
        }
        return Decision.accepted();
    }

    private static Decision withinLimit(Money amount, String amountName, Money limit, String limitName) {
        if (amount == null || amount.amount() == null) {
            return Decision.rejected(amountName + " is required");
        }
        if (limit.amount() == null) {
            return Decision.rejected("the claim has no " + limitName + " to check the " + amountName + " against");
        }
        if (!amount.sameCurrencyAs(limit)) {
            return Decision.rejected(amountName + " is in " + amount.currency() + " but the claim is in "
                    + limit.currency());
        }
        if (amount.exceeds(limit)) {
            return Decision.rejected(amountName + " " + amount + " exceeds the " + limitName + " " + limit);
        }
        return Decision.accepted();
    }
}
