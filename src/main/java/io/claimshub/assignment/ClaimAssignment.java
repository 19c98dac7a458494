package io.claimshub.assignment;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.ClaimAssigned;
import io.claimshub.event.ClaimSlaBreached;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.processing.Adjuster;
import io.claimshub.processing.AdjusterRoster;
import io.claimshub.processing.AdjusterSelector;
import io.claimshub.processing.BusinessRules;
import io.claimshub.processing.ClaimFacts;
import io.claimshub.processing.FraudIndicators;
import io.claimshub.processing.SlaPolicy;
import io.claimshub.sla.SlaBreaches;
import io.claimshub.store.AppendResult;
import io.claimshub.store.CaughtUpClaim;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.EventNotInClaimStreamException;
import io.claimshub.store.RecentWrites;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processors' assignment step. Every reaction is a new event appended at the claim version it was decided on,
 * with an event id derived from that version, so a redelivery, a second consumer or a second hub deciding the same
 * claim at the same version ends in one assignment: the loser's append is a duplicate or a version conflict, after
 * which the claim is re-read and found assigned.
 */
public final class ClaimAssignment {

    /** How the assignment of one claim ended. */
    public enum Outcome { ASSIGNED, ALREADY_ASSIGNED, QUEUED, NOT_ASSIGNABLE }

    private static final Logger LOG = LoggerFactory.getLogger(ClaimAssignment.class);
    private static final int CONFLICT_ATTEMPTS = 5;
    // queue heads retried per capacity change; the rest wait for the next one
    private static final int DRAIN_BATCH = 100;
    // assignments remembered until their own claim.assigned delivery comes round (normally milliseconds later)
    private static final int APPLIED_KEPT = 10_000;
    // how long the delivery of an assignment waits for its writer (on another thread) to finish applying it
    private static final long APPLIED_WAIT_MILLIS = 2_000;
    // not taken by then: the entry went to another instance
    private static final long APPLIED_MAX_AGE_MILLIS = 60_000;

    private final ClaimEventStore store;
    private final ClaimLifecycle lifecycle;
    private final RosterWatch roster;
    private final BusinessRules rules;
    private final SlaPolicy slaPolicy;
    private final AdjusterWorkloads workloads;
    private final UnassignedClaims unassigned;
    private final SlaBreaches breaches;
    private final Clock clock;
    private final AdjusterSelector selector = new AdjusterSelector();
    private final FraudIndicators fraud = new FraudIndicators();
    // by the global log entry each assignment wrote
    private final RecentWrites<String> applied = new RecentWrites<>(APPLIED_KEPT, APPLIED_WAIT_MILLIS,
            APPLIED_MAX_AGE_MILLIS);

    public ClaimAssignment(ClaimEventStore store, ClaimLifecycle lifecycle, RosterWatch roster, BusinessRules rules,
                           SlaPolicy slaPolicy, AdjusterWorkloads workloads, UnassignedClaims unassigned,
                           SlaBreaches breaches, Clock clock) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.roster = roster;
        this.rules = rules;
        this.slaPolicy = slaPolicy;
        this.workloads = workloads;
        this.unassigned = unassigned;
        this.breaches = breaches;
        this.clock = clock;
    }

    /**
     * The processors route's step after the snapshot step: keeps the workload indexes in line with the claim,
     * assigns a submitted claim, retries the unassigned queue when a decision frees capacity, and lists SLA breaches.
     * It decides on the state the snapshot step folded (the claim as its stream stood a moment ago); the append's
     * expected version still decides every race, and a conflict re-reads the claim.
     */
    public void onCaughtUp(CaughtUpClaim claim) {
        if (claim.state() == null) {
            return;
        }
        ClaimState state = claim.state();
        EventEnvelope event = claim.event().event();
        switch (event.type()) {
            case CLAIM_SUBMITTED -> {
                if (state.status() == ClaimStatus.SUBMITTED) {
                    // nothing to track before the decision: assigning or queuing tracks what it did
                    assign(event.claimId(), Optional.of(state));
                } else {
                    workloads.track(state);
                }
            }
            case CLAIM_APPROVED, CLAIM_REJECTED -> {
                workloads.track(state);
                drainUnassigned();
            }
            case CLAIM_SLA_BREACHED -> {
                workloads.track(state);
                breaches.record(event.claimId(), event.payload(ClaimSlaBreached.class));
            }
            default -> workloads.track(state);
        }
    }

    /**
     * The processors route's filter before its steps: {@code false} for the delivery of a {@code claim.assigned} this
     * instance appended itself and has applied in full since (snapshot stored with the append, workloads tracked), so
     * that delivery costs no round trip. Any other entry, a redelivery, or an assignment made by another instance
     * (or before a restart) goes through both steps, as does an entry that copies such an assignment's claim, version
     * and event id under another log entry id (a copy or a forgery, which the snapshot step refuses).
     *
     * @param globalEntryId the id of the delivered entry in the global log
     */
    public boolean isOutstanding(Map<String, String> globalLogEntryFields, String globalEntryId) {
        String claimId = globalLogEntryFields.get(StreamEntryCodec.CLAIM_ID);
        String version = globalLogEntryFields.get(StreamEntryCodec.CLAIM_VERSION);
        String eventId = globalLogEntryFields.get(StreamEntryCodec.EVENT_ID);
        if (claimId == null || version == null || eventId == null) {
            return true; // the snapshot step names what is wrong with it
        }
        long claimVersion;
        try {
            claimVersion = Long.parseLong(version);
        } catch (NumberFormatException e) {
            return true;
        }
        if (applied.take(claimId, claimVersion, eventId).filter(globalEntryId::equals).isEmpty()) {
            return true;
        }
        // the snapshot stored with that append is not needed either
        store.takeSnapshotWrittenWith(claimId, claimVersion, eventId, globalEntryId);
        return false;
    }

    /**
     * As {@link #onCaughtUp}, for an entry of the global log given alone: the claim is read from its stream first, and
     * the event acted on is the one its stream holds under the entry's event id, never the entry's own fields.
     *
     * @throws EventNotInClaimStreamException if the claim's stream holds no event with that id
     */
    public void onEvent(Map<String, String> globalLogEntryFields) {
        EventEnvelope delivered = StreamEntryCodec.decode(globalLogEntryFields).event();
        StoredEvent stored = store.history(delivered.claimId()).stream()
                .filter(event -> event.event().eventId().equals(delivered.eventId()))
                .findFirst()
                .orElseThrow(() -> new EventNotInClaimStreamException(StreamEntryCodec.EVENT_ID, "event "
                        + delivered.eventId() + " was never appended to the stream of claim " + delivered.claimId()));
        onCaughtUp(new CaughtUpClaim(stored, store.replay(delivered.claimId()).orElse(null)));
    }

    /** Assigns the claim if it still awaits an adjuster; queues it when nobody eligible has room. */
    public Outcome assign(String claimId) {
        return assign(claimId, Optional.empty());
    }

    /**
     * As {@link #assign(String)}, with the first attempt deciding on {@code alreadyRead} (a replay the caller just
     * made) when present; attempts after a version conflict re-read the claim.
     */
    private Outcome assign(String claimId, Optional<ClaimState> alreadyRead) {
        Optional<ClaimState> read = alreadyRead;
        for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
            if (attempt > 1 || read.isEmpty()) {
                read = store.replay(claimId);
            }
            if (read.isEmpty()) {
                return Outcome.NOT_ASSIGNABLE;
            }
            ClaimState state = read.get();
            if (state.status() != ClaimStatus.SUBMITTED) {
                // decided or assigned by someone else; bring the indexes along in case their tracking was lost
                workloads.track(state);
                return state.status() == ClaimStatus.ASSIGNED ? Outcome.ALREADY_ASSIGNED : Outcome.NOT_ASSIGNABLE;
            }
            ClaimFacts facts = facts(state);
            Instant now = clock.instant();
            // one round trip: the workloads for the choice, and the claimant's recent submissions counted
            AdjusterRoster adjusters = roster.get();
            AdjusterWorkloads.AssignmentInputs inputs = workloads.snapshotRecording(adjusters,
                    LocalDate.ofInstant(now, ZoneOffset.UTC), new AdjusterWorkloads.ClaimantSubmission(
                            facts.claimantEmail(), claimId, facts.submittedAt(), rules.repeatClaimantWindow()));
            Optional<Adjuster> chosen = selector.choose(facts, adjusters, rules, inputs.workloads());
            if (chosen.isEmpty()) {
                if (store.currentVersion(claimId) != state.version()) {
                    // decided on a state that moved on meanwhile (e.g. a redelivery of this step with the state the
                    // first attempt was given): do not queue a claim that may be assigned already; read it again
                    continue;
                }
                unassigned.enqueue(claimId, facts.submittedAt());
                LOG.info("Claim {} ({} {} {}) waits in the unassigned queue: no eligible adjuster has capacity",
                        claimId, facts.claimType(), facts.region(), facts.amountClaimed());
                return Outcome.QUEUED;
            }
            Adjuster adjuster = chosen.get();
            int recent = inputs.claimantRecentClaims();
            List<String> indicators = fraud.indicators(facts, recent, rules);
            ClaimAssigned data = ClaimAssigned.withFraudScreening(adjuster.id(), adjuster.name(), now,
                    slaPolicy.deadline(facts, now), indicators);
            EventEnvelope assigned = EventEnvelope.of(claimId, now, data);
            assigned = new EventEnvelope(assignmentEventId(claimId, state.version()), assigned.eventType(), claimId,
                    now, assigned.data(), assigned.version(), "system:processors");
            // the claim's snapshot shows the assignment in the same atomic step, not when the entry comes round
            ClaimState next = lifecycle.apply(state, assigned, state.version() + 1);
            // announced before the append: the entry may reach another consumer thread the moment it is appended
            RecentWrites<String>.Write applying = applied.begin(claimId, next.version(), assigned.eventId().toString());
            String appliedInFull = null;
            AppendResult result;
            try {
                result = store.append(assigned, state.version(), next);
                if (result instanceof AppendResult.Appended appended) {
                    // our append landed at the version we decided on, so the new state is the one we decided plus
                    // our event; count the claim at once, so the next choice sees it before the entry is consumed
                    workloads.track(next);
                    appliedInFull = appended.globalEntryId();
                }
            } finally {
                applying.finish(appliedInFull);
            }
            if (result instanceof AppendResult.VersionConflict) {
                continue;
            }
            if (result instanceof AppendResult.Duplicate) {
                // someone appended this very decision before: the claim may have moved on since, so read it
                store.replay(claimId).ifPresent(workloads::track);
                return Outcome.ALREADY_ASSIGNED;
            }
            LOG.info("Claim {} assigned to {}{}", claimId, adjuster.id(),
                    indicators.isEmpty() ? "" : "; investigation required: " + String.join("; ", indicators));
            return Outcome.ASSIGNED;
        }
        throw new IllegalStateException("claim " + claimId + " kept changing while it was being assigned ("
                + CONFLICT_ATTEMPTS + " attempts); the event will be redelivered");
    }

    /** Retries the claims waiting longest, after capacity freed or the roster changed. */
    public void drainUnassigned() {
        for (UnassignedClaims.UnassignedClaim waiting : unassigned.oldest(DRAIN_BATCH)) {
            Outcome outcome = assign(waiting.claimId());
            if (outcome == Outcome.NOT_ASSIGNABLE || outcome == Outcome.ALREADY_ASSIGNED) {
                unassigned.remove(waiting.claimId());
            }
        }
    }

    /** The roster reload's step, when the roster file changed: loads it and then retries the unassigned queue. */
    public void reloadRoster() {
        if (roster.reload()) {
            drainUnassigned();
        }
    }

    // the same claim version always gives the same event id: a second decision at that version is a duplicate
    static UUID assignmentEventId(String claimId, long decidedOnVersion) {
        return UUID.nameUUIDFromBytes(("claim.assigned " + claimId + " at version " + decidedOnVersion)
                .getBytes(StandardCharsets.UTF_8));
    }

    static ClaimFacts facts(ClaimState state) {
        return new ClaimFacts(state.claimId(), state.claimType().wireName(), state.region(),
                state.priority().wireName(), state.amountClaimed(), state.currency(), state.incidentDate(),
                state.submittedAt(), state.claimantEmail(), state.claimantPhone());
    }
}
