package io.claimshub.integration;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.Decision;
import io.claimshub.claim.PolicyCheck;
import io.claimshub.event.ClaimPolicyChecked;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.InvalidEventException;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.store.AppendResult;
import io.claimshub.store.ClaimEventStore;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy adapter's steps (routes/integrations/policy-check.camel.yaml): for a {@code claim.submitted} entry of the
 * policy-checks work stream, {@link #lookup} gives the policy query's parameters (or nothing, when the claim needs no
 * check: already checked, or closed), and {@link #record} appends {@code claim.policy.checked} once. The event id is
 * derived from the submission, and the append is made at the version the claim was read at, so a duplicated or
 * redelivered entry, a second instance or a crash between the query and the append never records a second check.
 */
public final class PolicyChecks {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyChecks.class);
    // another writer appended between our read and our append: read again and decide again, a few times
    private static final int APPEND_ATTEMPTS = 8;

    private final ClaimEventStore store;
    private final ClaimLifecycle lifecycle;
    private final Clock clock;

    public PolicyChecks(ClaimEventStore store, ClaimLifecycle lifecycle, Clock clock) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /**
     * The named parameters of the policy query ({@code policyNumber}, {@code claimType}, {@code incidentDate}), or
     * null when the claim needs no check.
     *
     * @throws InvalidEventException for an entry that is not a submission in its claim's stream (dead-lettered)
     */
    public Map<String, Object> lookup(Map<String, String> entryFields) {
        StoredEvent submitted = submission(entryFields);
        Optional<ClaimState> state = store.replay(submitted.event().claimId());
        if (state.isEmpty() || !needsCheck(state.get())) {
            return null;
        }
        ClaimState claim = state.get();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("policyNumber", claim.policyNumber());
        parameters.put("claimType", claim.claimType().wireName());
        parameters.put("incidentDate", Date.valueOf(claim.incidentDate()));
        return parameters;
    }

    /**
     * Records the verdict on the query's rows (the first row counts; none: the policy is unknown) as
     * {@code claim.policy.checked}, unless the claim has one already or was closed meanwhile.
     *
     * @param queryResult the rows of the policy query (camel-sql SelectList); anything else means the query did not
     *                    answer, which fails the exchange (retried) and records nothing
     * @return true when this call appended the event
     */
    @SuppressWarnings("unchecked")
    public boolean record(Map<String, String> entryFields, Object queryResult) {
        if (!(queryResult instanceof List<?> rows)) {
            throw new IllegalStateException("the policy query gave no rows to decide on (got "
                    + (queryResult == null ? "nothing" : queryResult.getClass().getSimpleName()) + ")");
        }
        StoredEvent submitted = submission(entryFields);
        String claimId = submitted.event().claimId();
        Map<String, Object> row = rows.isEmpty() ? null : (Map<String, Object>) rows.get(0);
        UUID eventId = checkEventId(submitted.event().eventId());
        for (int attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
            ClaimState state = store.replay(claimId).orElse(null);
            if (state == null || !needsCheck(state)) {
                return false;
            }
            ClaimPolicyChecked verdict = PolicyVerdict.decide(row, state.policyNumber(), state.claimType(),
                    state.incidentDate(), state.currency());
            EventEnvelope event = new EventEnvelope(eventId, EventType.CLAIM_POLICY_CHECKED.wireName(), claimId,
                    clock.instant(), EventJson.toObjectNode(verdict), EventEnvelope.CURRENT_VERSION,
                    "system:integrations-policy");
            if (lifecycle.decide(state, event) instanceof Decision.Rejected rejected) {
                LOG.warn("policy check of claim {} not recorded: {}", claimId, rejected.reason());
                return false;
            }
            AppendResult result = store.append(event, state.version(), lifecycle.apply(state, event,
                    state.version() + 1));
            if (result instanceof AppendResult.Appended) {
                return true;
            }
            if (result instanceof AppendResult.Duplicate) {
                return false;
            }
        }
        throw new IllegalStateException("claim " + claimId + " kept changing while its policy check was recorded");
    }

    /** The one id a claim's policy check can have, whoever records it and however often. */
    public static UUID checkEventId(UUID submissionEventId) {
        return UUID.nameUUIDFromBytes(("claim.policy.checked " + submissionEventId).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean needsCheck(ClaimState state) {
        return state.policyCheck() == PolicyCheck.PENDING && !state.isFinal();
    }

    private StoredEvent submission(Map<String, String> entryFields) {
        StoredEvent entry = StreamEntryCodec.decode(entryFields);
        if (entry.event().type() != EventType.CLAIM_SUBMITTED) {
            throw new InvalidEventException("eventType", "the policy-checks stream takes claim.submitted entries, not "
                    + entry.event().eventType());
        }
        boolean inClaimStream = store.history(entry.event().claimId()).stream()
                .anyMatch(stored -> stored.event().eventId().equals(entry.event().eventId())
                        && stored.claimVersion() == entry.claimVersion());
        if (!inClaimStream) {
            throw new InvalidEventException("eventId", "submission " + entry.event().eventId()
                    + " is not in the stream of claim " + entry.event().claimId());
        }
        return entry;
    }
}
