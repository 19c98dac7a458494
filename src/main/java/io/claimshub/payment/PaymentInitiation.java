package io.claimshub.payment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.claim.Decision;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.InvalidEventException;
import io.claimshub.event.Money;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.notification.ClaimantContacts;
import io.claimshub.store.AppendResult;
import io.claimshub.store.ClaimEventStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@code claim.approved} log entry into the claim's {@code claim.payment.initiated}, appended once with the
 * event store's expected-version append (the event id is derived from the payment id, so even a lost race or a
 * duplicate delivery stores it once), and records completions and refusals the same way. A claim whose payment was
 * pushed by an external system (another payment id) is left to that system.
 */
public final class PaymentInitiation {

    private java.util.function.Supplier<io.claimshub.privacy.PersonalData> personalData =
            io.claimshub.privacy.PersonalData::off;

    private static final Logger LOG = LoggerFactory.getLogger(PaymentInitiation.class);
    // another writer appended between the read and the append: decide again on the fresh history
    private static final int ATTEMPTS = 8;

    private final ClaimEventStore store;
    private final ClaimLifecycle lifecycle;
    private final Clock clock;

    public PaymentInitiation(ClaimEventStore store, ClaimLifecycle lifecycle, Clock clock) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /**
     * The payment the approval in this log entry starts, with {@code claim.payment.initiated} stored; null when there
     * is nothing to pay (the claim was paid by an external system, or is closed).
     *
     * @throws InvalidEventException for an entry that is not a {@code claim.approved} of its claim's stream
     */
    public PaymentOrder initiate(Map<String, String> entryFields) {
        StoredEvent approval = StreamEntryCodec.decode(entryFields);
        EventEnvelope approved = approval.event();
        if (approved.type() != EventType.CLAIM_APPROVED) {
            throw new InvalidEventException("eventType", "the payments stream carries claim.approved entries only, not "
                    + approved.eventType());
        }
        String claimId = approved.claimId();
        String paymentId = PaymentIds.of(claimId, approved.eventId().toString());
        UUID eventId = PaymentIds.eventId(EventType.CLAIM_PAYMENT_INITIATED.wireName(), paymentId);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<StoredEvent> history = store.history(claimId);
            if (history.stream().noneMatch(s -> s.event().eventId().equals(approved.eventId()))) {
                throw new InvalidEventException("eventId", "approval " + approved.eventId() + " is not in the stream of "
                        + claimId);
            }
            Optional<StoredEvent> initiated = history.stream()
                    .filter(s -> s.event().type() == EventType.CLAIM_PAYMENT_INITIATED).reduce((a, b) -> b);
            ClaimState state = fold(history);
            if (initiated.isPresent()) {
                String existing = initiated.get().event().data().path("paymentId").asText();
                if (!existing.equals(paymentId)) {
                    LOG.info("Claim {} already has payment {} (pushed by an external system); no payment initiated",
                            claimId, existing);
                    return null;
                }
                if (state.status() == ClaimStatus.PAID) {
                    return null;
                }
                // stored before (an earlier delivery, maybe on another instance): send it again under the same key
                return order(state, paymentId);
            }
            if (state.status() != ClaimStatus.APPROVED) {
                LOG.info("Claim {} is {}; no payment initiated for approval {}", claimId, state.status().wireName(),
                        approved.eventId());
                return null;
            }
            ObjectNode data = EventJson.mapper().createObjectNode();
            data.put("paymentId", paymentId);
            Money amount = state.approvedMoney().atCurrencyScale();
            ObjectNode money = data.putObject("amount");
            money.put("amount", amount.amount());
            money.put("currency", amount.currency());
            data.put("method", "bank_transfer");
            // who is paid, by role: the name (and account) stay in the claim's personal data, not in the log again
            data.putObject("payee").put("role", "claimant");
            data.put("approvalEventId", approved.eventId().toString());
            EventEnvelope event = new EventEnvelope(eventId, EventType.CLAIM_PAYMENT_INITIATED.wireName(), claimId,
                    clock.instant(), data, EventEnvelope.CURRENT_VERSION, "system:integrations-payments");
            if (lifecycle.decide(state, event) instanceof Decision.Rejected rejected) {
                throw new InvalidEventException("data", "cannot initiate payment of claim " + claimId + ": "
                        + rejected.reason());
            }
            AppendResult result = store.append(event, state.version(), lifecycle.apply(state, event,
                    state.version() + 1));
            if (!(result instanceof AppendResult.VersionConflict)) {
                LOG.info("Initiated payment {} of claim {} ({})", paymentId, claimId, amount);
                return order(lifecycle.apply(state, event, state.version() + 1), paymentId);
            }
        }
        throw new IllegalStateException("claim " + claimId + " kept changing while its payment was initiated");
    }

    /** Records {@code claim.payment.completed} for the payment, once. */
    public PaymentOutcome complete(String paymentId, Instant paidAt, String reference) {
        ObjectNode data = EventJson.mapper().createObjectNode();
        data.put("paymentId", paymentId);
        data.put("paidAt", paidAt.toString());
        data.put("reference", reference);
        return record(EventType.CLAIM_PAYMENT_COMPLETED, paymentId, data);
    }

    /** Records {@code claim.payment.failed} for the payment, once. */
    public PaymentOutcome fail(String paymentId, String reason) {
        ObjectNode data = EventJson.mapper().createObjectNode();
        data.put("paymentId", paymentId);
        data.put("failedAt", clock.instant().toString());
        String text = reason == null || reason.isBlank() ? "refused by the payment system" : reason.strip();
        data.put("reason", text.length() > 500 ? text.substring(0, 500) : text);
        return record(EventType.CLAIM_PAYMENT_FAILED, paymentId, data);
    }

    private PaymentOutcome record(EventType type, String paymentId, ObjectNode data) {
        Optional<String> claimId = PaymentIds.claimIdOf(paymentId);
        if (claimId.isEmpty()) {
            return PaymentOutcome.UNKNOWN_PAYMENT;
        }
        UUID eventId = PaymentIds.eventId(type.wireName(), paymentId);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<StoredEvent> history = store.history(claimId.get());
            if (history.isEmpty()) {
                return PaymentOutcome.UNKNOWN_PAYMENT;
            }
            if (history.stream().anyMatch(s -> s.event().eventId().equals(eventId))) {
                return PaymentOutcome.ALREADY_RECORDED;
            }
            boolean initiated = history.stream().anyMatch(s -> s.event().type() == EventType.CLAIM_PAYMENT_INITIATED
                    && paymentId.equals(s.event().data().path("paymentId").asText()));
            if (!initiated) {
                return PaymentOutcome.UNKNOWN_PAYMENT;
            }
            ClaimState state = fold(history);
            // the payment system's answer (API callback or bank confirmation), or the API's refusal
            EventEnvelope event = new EventEnvelope(eventId, type.wireName(), claimId.get(), clock.instant(), data,
                    EventEnvelope.CURRENT_VERSION, "system:payments");
            if (lifecycle.decide(state, event) instanceof Decision.Rejected rejected) {
                // a completion that arrived before (a callback and a bank file, or a push) makes a second one moot
                if (type == EventType.CLAIM_PAYMENT_COMPLETED && state.status() == ClaimStatus.PAID) {
                    return PaymentOutcome.ALREADY_RECORDED;
                }
                LOG.info("{} of payment {} not recorded: {}", type.wireName(), paymentId, rejected.reason());
                return PaymentOutcome.NOT_APPLICABLE;
            }
            AppendResult result = store.append(event, state.version(), lifecycle.apply(state, event,
                    state.version() + 1));
            if (result instanceof AppendResult.Appended) {
                LOG.info("Recorded {} of payment {}", type.wireName(), paymentId);
                return PaymentOutcome.RECORDED;
            }
            if (result instanceof AppendResult.Duplicate) {
                return PaymentOutcome.ALREADY_RECORDED;
            }
        }
        throw new IllegalStateException("claim " + claimId.get() + " kept changing while " + type.wireName()
                + " was recorded");
    }

    private ClaimState fold(List<StoredEvent> history) {
        ClaimState state = null;
        for (StoredEvent stored : history) {
            state = lifecycle.apply(state, stored.event(), stored.claimVersion());
        }
        return state;
    }

    private PaymentOrder order(ClaimState state, String paymentId) {
        Money amount = state.approvedMoney().atCurrencyScale();
        return new PaymentOrder(state.claimId(), paymentId, amount, "bank_transfer",
                personalData.get().reveal(state.claimId(), ClaimantContacts.claimantName(state)), state.policyNumber());
    }

    /** Opens the payee's name (stored encrypted) through the hub's personal-data access point. */
    public PaymentInitiation protectedBy(java.util.function.Supplier<io.claimshub.privacy.PersonalData> personalData) {
        this.personalData = personalData;
        return this;
    }
}
