package io.claimshub.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.claim.Decision;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventType;
import io.claimshub.event.EventValidator;
import io.claimshub.event.FieldError;
import io.claimshub.event.InvalidEventException;
import io.claimshub.event.StoredEvent;
import io.claimshub.privacy.PersonalData;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Decide, then append: the one way the hub's ingress (REST, files) turns a request into a claim event. A
 * successful append costs at most two Redis round trips: one read (the idempotency reservation for a
 * submission, the claim's stream for any other event) and the append script.
 */
public final class ClaimCommands {

    /** How long a submission's idempotency record answers retries. */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    /**
     * How long a reservation holds its key while the submission is in flight: a twin meanwhile is told so (409). A
     * request that dies with its hub leaves the key blocked for this long at most.
     */
    public static final Duration IN_FLIGHT_LEASE = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(ClaimCommands.class);
    // a brand-new claim id that is taken already; with 36^8 ids this is a matter of luck, so a few tries suffice
    private static final int NEW_CLAIM_ID_ATTEMPTS = 3;
    // a push without expected version lost the race to another writer: decide again on the fresh state, after a
    // short random pause (so the losers do not collide again in lock step), up to this many times
    private static final int UNCHECKED_PUSH_ATTEMPTS = 64;
    private static final long MAX_BACKOFF_MILLIS = 50;

    private final ClaimEventStore store;
    private final ClaimLifecycle lifecycle;
    private final EventValidator validator;
    private final IdempotencyRecords idempotencyRecords;
    private final SubmissionChunks submissionChunks;
    private final Clock clock;
    private final ClaimCommandRule rule;
    // encrypts the personal fields of every event before it is stored (docs/data-protection.md)
    private volatile PersonalData personalData = PersonalData.off();
    /** Who the events this instance writes are recorded as caused by (null: not recorded). */
    private final String actor;

    public ClaimCommands(ClaimEventStore store, ClaimLifecycle lifecycle, EventValidator validator,
                         RedisConnectionFactory connectionFactory, Clock clock) {
        this(store, lifecycle, validator, connectionFactory, clock, ClaimCommandRule.NONE);
    }

    /** @param rule checked after the lifecycle accepted a pushed event (authority limits, ...) */
    public ClaimCommands(ClaimEventStore store, ClaimLifecycle lifecycle, EventValidator validator,
                         RedisConnectionFactory connectionFactory, Clock clock, ClaimCommandRule rule) {
        this.rule = rule;
        this.store = store;
        this.lifecycle = lifecycle;
        this.validator = validator;
        this.clock = clock;
        this.idempotencyRecords = new IdempotencyRecords(RedisTemplates.strings(connectionFactory), clock,
                IDEMPOTENCY_WINDOW, IN_FLIGHT_LEASE);
        this.submissionChunks = new SubmissionChunks(RedisTemplates.strings(connectionFactory),
                new ClaimKeys(store.globalLog()), idempotencyRecords, store.chain());
        this.actor = null;
    }

    private ClaimCommands(ClaimCommands commands, String actor) {
        this.rule = commands.rule;
        this.store = commands.store;
        this.lifecycle = commands.lifecycle;
        this.validator = commands.validator;
        this.clock = commands.clock;
        this.idempotencyRecords = commands.idempotencyRecords;
        this.submissionChunks = commands.submissionChunks;
        this.personalData = commands.personalData;
        this.actor = actor;
    }

    /** Encrypt the personal fields of every event before it reaches the store. */
    public ClaimCommands protectWith(PersonalData protection) {
        this.personalData = protection;
        return this;
    }

    /**
     * These commands, writing events recorded as caused by {@code actor} (the authenticated caller's subject, the
     * file, a part of the hub); the hub sets it, never a request's body.
     */
    public ClaimCommands as(String actor) {
        return new ClaimCommands(this, actor);
    }

    /**
     * Opens a claim with a {@code claim.submitted} event. With an idempotency key (or, without one, a client event
     * id) the submission is recorded as the IETF Idempotency-Key draft has it: a retry of the same payload within
     * {@link #IDEMPOTENCY_WINDOW} answers the first submission's claim, event id and version and writes nothing new;
     * another payload under the same key is {@link SubmitOutcome.KeyReused}; a retry while the first is still in
     * flight is {@link SubmitOutcome.KeyInFlight}. A submission that fails, for whatever reason, leaves its key free.
     */
    public SubmitOutcome submit(JsonNode submittedData, String idempotencyKeyOrNull, UUID eventIdOrNull) {
        if (!(submittedData instanceof ObjectNode data)) {
            return new SubmitOutcome.Invalid(List.of(new FieldError("data", "must be a JSON object")));
        }
        List<FieldError> errors = validator.validateData(EventType.CLAIM_SUBMITTED, data);
        if (!errors.isEmpty()) {
            return new SubmitOutcome.Invalid(errors);
        }
        String recordId = idempotencyKeyOrNull != null ? ClaimKeys.idempotencyRecordId(idempotencyKeyOrNull)
                : eventIdOrNull != null ? ClaimKeys.submissionRecordId(eventIdOrNull)
                : null;
        UUID eventId = eventIdOrNull != null ? eventIdOrNull : UUID.randomUUID();
        if (recordId == null) {
            return submitUnrecorded(data, eventId);
        }
        String fingerprint = IdempotencyRecord.fingerprint(data, eventIdOrNull);
        IdempotencyRecords.Reservation reservation = idempotencyRecords.reserve(recordId, fingerprint,
                ClaimIds.newClaimId(), eventId);
        IdempotencyRecord record = reservation.record();
        if (!reservation.ours()) {
            if (!record.fingerprint().equals(fingerprint)) {
                return new SubmitOutcome.KeyReused();
            }
            // a submission is always its claim's first event
            return record.done() ? new SubmitOutcome.Accepted(record.claimId(), record.eventId(), 1)
                    : new SubmitOutcome.KeyInFlight();
        }
        boolean accepted = false;
        try {
            EventEnvelope event = protectedSubmission(data, record.claimId(), eventId);
            if (lifecycle.decide(null, event) instanceof Decision.Rejected rejected) {
                return new SubmitOutcome.Invalid(List.of(new FieldError("data", rejected.reason())));
            }
            AppendResult result = store.append(event, 0, lifecycle.apply(null, event, 1), reservation);
            if (result instanceof AppendResult.ReservationLost) {
                return new SubmitOutcome.KeyInFlight();
            }
            SubmitOutcome outcome = accepted(event, result);
            accepted = true;
            return outcome;
        } finally {
            if (!accepted) {
                release(reservation);
            }
        }
    }

    /** One submission of a batch ({@link #submitAll}): its data, idempotency key and the client's event id, if any. */
    public record KeyedSubmission(JsonNode data, String idempotencyKey, UUID eventIdOrNull) {

        public KeyedSubmission {
            if (idempotencyKey == null || idempotencyKey.isBlank()) {
                throw new IllegalArgumentException("a batched submission needs an idempotency key");
            }
        }
    }

    /**
     * {@link #submit} of each submission, answered in order exactly as one by one, but with the reservations and
     * appends of the whole batch in one pipelined round trip (a bulk ingress's throughput). A submission whose key
     * an earlier one of the batch has is submitted after the batch, alone, so it finds that one's record.
     */
    public List<SubmitOutcome> submitAll(List<KeyedSubmission> submissions) {
        BatchOfSubmissions batch = new BatchOfSubmissions(submissions);
        List<ClaimEventStore.ReservedAppend> results;
        try {
            // each submission is prepared as the pipeline is written: Redis runs the first ones meanwhile
            results = store.reserveAndAppend(batch);
        } catch (RuntimeException e) {
            // which reservations were made is unknown: releasing one that was not made (or is done) deletes nothing
            releaseAll(batch.reservings.stream().map(IdempotencyRecords.Reserving::mine).toList());
            throw e;
        }
        decideBatch(batch, results);
        for (int i : batch.twins) {
            KeyedSubmission twin = submissions.get(i);
            batch.outcomes[i] = submit(twin.data(), twin.idempotencyKey(), twin.eventIdOrNull());
        }
        return Arrays.asList(batch.outcomes);
    }

    /**
     * {@link #submit} of each submission of a bulk ingress, answered in order exactly as one by one, with each
     * accepted one's claim remembered under its {@code rememberedKeys} entry for {@code rememberFor}: a submission
     * whose remembered key is found is accepted as that claim (its event id then unknown: {@code null}) and writes
     * nothing. Every submission is stored, recorded and remembered in one atomic step of its own, and the lot in one
     * pipelined round trip ({@link SubmissionChunks}); a later one with the key of an earlier one finds that one's.
     */
    public List<SubmitOutcome> submitRemembered(List<KeyedSubmission> submissions, List<String> rememberedKeys,
                                                Duration rememberFor) {
        if (rememberedKeys.size() != submissions.size()) {
            throw new IllegalArgumentException(submissions.size() + " submissions but " + rememberedKeys.size()
                    + " remembered keys");
        }
        if (rememberFor.toSeconds() < 1) {
            throw new IllegalArgumentException("a claim must be remembered for a second at least; was " + rememberFor);
        }
        SubmitOutcome[] outcomes = new SubmitOutcome[submissions.size()];
        // validated first, then their personal fields encrypted together: one round trip opens every claimant's key
        List<Integer> valid = new ArrayList<>();
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < submissions.size(); i++) {
            KeyedSubmission submission = submissions.get(i);
            outcomes[i] = invalidData(submission.data());
            if (outcomes[i] == null) {
                UUID eventId = submission.eventIdOrNull() != null ? submission.eventIdOrNull() : UUID.randomUUID();
                valid.add(i);
                events.add(submittedEvent((ObjectNode) submission.data(), ClaimIds.newClaimId(), eventId));
            }
        }
        List<EventEnvelope> sealed = personalData.protectSubmissions(events);
        List<Integer> stored = new ArrayList<>();
        List<SubmissionChunks.Prepared> prepared = new ArrayList<>();
        Iterator<SubmissionChunks.Prepared> toStore = new Preparing<>(valid.size()) {
            @Override
            SubmissionChunks.Prepared prepare(int j) {
                int i = valid.get(j);
                SubmissionChunks.Prepared line = prepareRemembered(submissions.get(i), sealed.get(j),
                        rememberedKeys.get(i), outcomes, i);
                if (line != null) {
                    stored.add(i);
                    prepared.add(line);
                }
                return line;
            }
        };
        List<SubmissionChunks.Stored> results = submissionChunks.store(toStore, rememberFor);
        String takenClaimId = null;
        for (int j = 0; j < results.size(); j++) {
            SubmissionChunks.Prepared line = prepared.get(j);
            IdempotencyRecord mine = line.done();
            SubmissionChunks.Stored result = results.get(j);
            SubmitOutcome outcome;
            if (result instanceof SubmissionChunks.Stored.Remembered remembered) {
                outcome = new SubmitOutcome.Accepted(remembered.claimId(), null, 1);
            } else if (result instanceof SubmissionChunks.Stored.Held held) {
                IdempotencyRecord record = held.record();
                outcome = !record.fingerprint().equals(mine.fingerprint()) ? new SubmitOutcome.KeyReused()
                        : record.done() ? new SubmitOutcome.Accepted(record.claimId(), record.eventId(), 1)
                        : new SubmitOutcome.KeyInFlight();
            } else if (result instanceof SubmissionChunks.Stored.Appended) {
                outcome = new SubmitOutcome.Accepted(mine.claimId(), mine.eventId(), 1);
            } else {
                takenClaimId = mine.claimId();
                outcome = new SubmitOutcome.KeyInFlight();
            }
            outcomes[stored.get(j)] = outcome;
        }
        if (takenClaimId != null) {
            throw new IllegalStateException("claim id " + takenClaimId + " reserved for a new submission is already taken");
        }
        return Arrays.asList(outcomes);
    }

    /**
     * The claims remembered under these keys ({@link #submitRemembered}), null where none is: one {@code MGET}, so a
     * bulk ingress reading lines it stored before skips them before it validates them.
     */
    public List<String> rememberedClaims(List<String> rememberedKeys) {
        if (rememberedKeys.isEmpty()) {
            return List.of();
        }
        List<String> claims = submissionChunks.remembered(rememberedKeys);
        if (claims == null || claims.size() != rememberedKeys.size()) {
            throw new IllegalStateException("MGET of " + rememberedKeys.size() + " keys answered " + claims);
        }
        return claims;
    }

    /** A batched submission's data refused before anything is stored (not an object, or against its schema); else null. */
    private SubmitOutcome.Invalid invalidData(JsonNode submittedData) {
        if (!(submittedData instanceof ObjectNode data)) {
            return new SubmitOutcome.Invalid(List.of(new FieldError("data", "must be a JSON object")));
        }
        List<FieldError> errors = validator.validateData(EventType.CLAIM_SUBMITTED, data);
        return errors.isEmpty() ? null : new SubmitOutcome.Invalid(errors);
    }

    /** A valid submission decided, ready to store; null when it is answered already (refused). */
    private SubmissionChunks.Prepared prepareRemembered(KeyedSubmission submission, EventEnvelope event,
                                                        String rememberedKey, SubmitOutcome[] outcomes, int i) {
        ClaimLifecycle.Applied applied = lifecycle.decideAndApply(null, event, 1);
        if (applied.decision() instanceof Decision.Rejected rejected) {
            outcomes[i] = new SubmitOutcome.Invalid(List.of(new FieldError("data", rejected.reason())));
            return null;
        }
        IdempotencyRecord done = IdempotencyRecord.pending(IdempotencyRecord.fingerprint(submission.data(),
                submission.eventIdOrNull()), event.claimId(), event.eventId(), 0).asDone();
        return new SubmissionChunks.Prepared(event, applied.next(),
                ClaimKeys.idempotencyRecordId(submission.idempotencyKey()), done, rememberedKey);
    }

    /**
     * The submissions of a batch to reserve and append, each validated and decided when the pipeline asks for it;
     * one refused, or with the key of an earlier one (a twin, submitted after the batch), is answered aside.
     */
    private final class BatchOfSubmissions extends Preparing<ClaimEventStore.ReservedSubmission> {
        private final List<KeyedSubmission> submissions;
        private final SubmitOutcome[] outcomes;
        private final List<Integer> batched = new ArrayList<>();
        private final List<IdempotencyRecords.Reserving> reservings = new ArrayList<>();
        private final Set<String> recordIds = new HashSet<>();
        private final List<Integer> twins = new ArrayList<>();

        BatchOfSubmissions(List<KeyedSubmission> submissions) {
            super(submissions.size());
            this.submissions = submissions;
            this.outcomes = new SubmitOutcome[submissions.size()];
        }

        @Override
        ClaimEventStore.ReservedSubmission prepare(int i) {
            KeyedSubmission submission = submissions.get(i);
            outcomes[i] = invalidData(submission.data());
            if (outcomes[i] != null) {
                return null;
            }
            ObjectNode data = (ObjectNode) submission.data();
            String recordId = ClaimKeys.idempotencyRecordId(submission.idempotencyKey());
            if (!recordIds.add(recordId)) {
                twins.add(i);
                return null;
            }
            UUID eventId = submission.eventIdOrNull() != null ? submission.eventIdOrNull() : UUID.randomUUID();
            IdempotencyRecords.Reserving reserving = idempotencyRecords.reserving(recordId,
                    IdempotencyRecord.fingerprint(data, submission.eventIdOrNull()), ClaimIds.newClaimId(), eventId);
            EventEnvelope event = protectedSubmission(data, reserving.mine().record().claimId(), eventId);
            if (lifecycle.decide(null, event) instanceof Decision.Rejected rejected) {
                outcomes[i] = new SubmitOutcome.Invalid(List.of(new FieldError("data", rejected.reason())));
                return null;
            }
            batched.add(i);
            reservings.add(reserving);
            return new ClaimEventStore.ReservedSubmission(reserving.call(), reserving.mine(), event,
                    lifecycle.apply(null, event, 1));
        }
    }

    /**
     * Hands out the submissions of a batch as a pipeline asks for them, each prepared (validated, decided) only then,
     * so Redis runs the first while the next is prepared; one that {@link #prepare} answers aside (null) is skipped.
     */
    private abstract static class Preparing<T> implements Iterator<T> {
        private final int size;
        private int index;
        private T next;

        Preparing(int size) {
            this.size = size;
        }

        /** The {@code i}th submission ready to store, or null when it is answered already. */
        abstract T prepare(int i);

        @Override
        public boolean hasNext() {
            while (next == null && index < size) {
                next = prepare(index++);
            }
            return next != null;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T prepared = next;
            next = null;
            return prepared;
        }
    }

    private void decideBatch(BatchOfSubmissions batch, List<ClaimEventStore.ReservedAppend> results) {
        List<IdempotencyRecords.Reserving> reservings = batch.reservings;
        List<IdempotencyRecords.Reservation> failed = new ArrayList<>();
        String takenClaimId = null;
        for (int j = 0; j < results.size(); j++) {
            IdempotencyRecords.Reservation reservation = reservings.get(j).answered(results.get(j).held());
            IdempotencyRecord record = reservation.record();
            AppendResult result = results.get(j).result();
            SubmitOutcome outcome;
            if (!reservation.ours()) {
                outcome = !record.fingerprint().equals(reservings.get(j).mine().record().fingerprint()) ? new SubmitOutcome.KeyReused()
                        : record.done() ? new SubmitOutcome.Accepted(record.claimId(), record.eventId(), 1)
                        : new SubmitOutcome.KeyInFlight();
            } else if (result instanceof AppendResult.Appended appended) {
                outcome = new SubmitOutcome.Accepted(record.claimId(), record.eventId(), appended.version());
            } else if (result instanceof AppendResult.Duplicate duplicate) {
                outcome = new SubmitOutcome.Accepted(record.claimId(), record.eventId(), duplicate.version());
            } else {
                failed.add(reservation);
                if (result instanceof AppendResult.VersionConflict) {
                    takenClaimId = record.claimId();
                }
                outcome = new SubmitOutcome.KeyInFlight();
            }
            batch.outcomes[batch.batched.get(j)] = outcome;
        }
        releaseAll(failed);
        if (takenClaimId != null) {
            throw new IllegalStateException("claim id " + takenClaimId + " reserved for a new submission is already taken");
        }
    }

    /** A submission without idempotency key or client event id: a fresh claim id, tried again if it is taken. */
    private SubmitOutcome submitUnrecorded(ObjectNode data, UUID eventId) {
        for (int attempt = 1; ; attempt++) {
            EventEnvelope event = protectedSubmission(data, ClaimIds.newClaimId(), eventId);
            if (lifecycle.decide(null, event) instanceof Decision.Rejected rejected) {
                return new SubmitOutcome.Invalid(List.of(new FieldError("data", rejected.reason())));
            }
            AppendResult result = store.append(event, 0, lifecycle.apply(null, event, 1));
            if (!(result instanceof AppendResult.VersionConflict) || attempt == NEW_CLAIM_ID_ATTEMPTS) {
                return accepted(event, result);
            }
        }
    }

    // the personal fields encrypted here, before the event is decided, folded into its snapshot and stored
    private EventEnvelope protectedSubmission(ObjectNode data, String claimId, UUID eventId) {
        return personalData.protect(submittedEvent(data, claimId, eventId), null);
    }

    // as sent: its personal fields not encrypted yet
    private EventEnvelope submittedEvent(ObjectNode data, String claimId, UUID eventId) {
        return new EventEnvelope(eventId, EventType.CLAIM_SUBMITTED.wireName(), claimId, clock.instant(), data,
                EventEnvelope.CURRENT_VERSION, actor);
    }

    // the new claim's snapshot is stored with its first event, so it is readable as soon as it is accepted
    private static SubmitOutcome accepted(EventEnvelope event, AppendResult result) {
        if (result instanceof AppendResult.Appended appended) {
            return new SubmitOutcome.Accepted(event.claimId(), event.eventId(), appended.version());
        }
        if (result instanceof AppendResult.Duplicate duplicate) {
            return new SubmitOutcome.Accepted(event.claimId(), event.eventId(), duplicate.version());
        }
        // the new claim id belongs to another claim already
        throw new IllegalStateException("claim id " + event.claimId() + " reserved for a new submission is already"
                + " taken: " + result);
    }

    /**
     * Appends an event to an existing claim, if its lifecycle accepts it now. A retried event id answers the
     * first result. When another writer appends between the read and the append, the decision is taken again on
     * the fresh state: once more with an expected version, and with a bounded, jittered backoff without one (the
     * client asked for no version check) before answering {@link PushOutcome.Conflict}.
     *
     * @param expectedVersionOrNull the version the client last saw; a claim that moved on is a conflict
     */
    public PushOutcome push(String claimId, String eventType, JsonNode data, UUID eventIdOrNull,
                            Long expectedVersionOrNull) {
        Optional<FieldError> invalidRequest = checkRequest(claimId, eventType);
        if (invalidRequest.isPresent()) {
            return new PushOutcome.Invalid(List.of(invalidRequest.get()));
        }
        EventType type = EventType.fromWire(eventType);
        if (!(data instanceof ObjectNode dataObject)) {
            return new PushOutcome.Invalid(List.of(new FieldError("data", "must be a JSON object")));
        }
        List<FieldError> errors = validator.validateData(type, dataObject);
        if (!errors.isEmpty()) {
            return new PushOutcome.Invalid(errors);
        }
        EventEnvelope event = new EventEnvelope(eventIdOrNull != null ? eventIdOrNull : UUID.randomUUID(),
                eventType, claimId, clock.instant(), dataObject, EventEnvelope.CURRENT_VERSION, actor);
        int attempts = expectedVersionOrNull == null ? UNCHECKED_PUSH_ATTEMPTS : 2;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 2 && !backOff(attempt)) {
                break;
            }
            List<StoredEvent> history = store.history(claimId);
            if (history.isEmpty()) {
                return new PushOutcome.NotFound(claimId);
            }
            Optional<StoredEvent> earlier = history.stream()
                    .filter(stored -> stored.event().eventId().equals(event.eventId())).findFirst();
            if (earlier.isPresent()) {
                return new PushOutcome.Accepted(claimId, event.eventId(), earlier.get().claimVersion());
            }
            ClaimState state = store.fold(null, history);
            if (expectedVersionOrNull != null && expectedVersionOrNull != state.version()) {
                return new PushOutcome.Conflict("expected version " + expectedVersionOrNull + " but the claim is at "
                        + state.version(), state, state.version());
            }
            if (lifecycle.decide(state, event) instanceof Decision.Rejected rejected) {
                return new PushOutcome.Conflict(rejected.reason(), state, state.version());
            }
            if (rule.decide(state, event) instanceof Decision.Rejected refused) {
                return new PushOutcome.Conflict(refused.reason(), state, state.version());
            }
            // decided on the event as sent; stored with its personal fields encrypted under the claimant's key
            EventEnvelope stored = personalData.protect(event, state);
            ClaimState next = lifecycle.apply(state, stored, state.version() + 1);
            AppendResult result = store.append(stored, state.version(), next);
            if (next.status().isFinal() && (result instanceof AppendResult.Appended
                                            || result instanceof AppendResult.Duplicate)) {
                // after the append: a crash in between leaves the claim counted open, so retention waits (never
                // the other way round)
                personalData.closed(next, stored.timestamp());
            }
            if (result instanceof AppendResult.Appended appended) {
                return new PushOutcome.Accepted(claimId, event.eventId(), appended.version());
            }
            if (result instanceof AppendResult.Duplicate duplicate) {
                return new PushOutcome.Accepted(claimId, event.eventId(), duplicate.version());
            }
        }
        ClaimState fresh = store.replay(claimId).orElseThrow();
        return new PushOutcome.Conflict("claim " + claimId + " was changed by another writer while this event was"
                + " decided; it is now at version " + fresh.version(), fresh, fresh.version());
    }

    /** Full jitter: a random pause up to an exponentially growing, capped bound; false when interrupted. */
    private static boolean backOff(int attempt) {
        long bound = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<FieldError> checkRequest(String claimId, String eventType) {
        if (!ClaimIds.isValid(claimId)) {
            return Optional.of(new FieldError("claimId", "'" + claimId
                    + "' is not a claim id; expected CLM- followed by 8 characters from A-Z and 0-9"));
        }
        EventType type;
        try {
            type = EventType.fromWire(eventType);
        } catch (InvalidEventException e) {
            return Optional.of(new FieldError("eventType", e.getMessage().substring("eventType: ".length())));
        }
        // the deadline is the hub's to judge: a client could otherwise blame any adjuster for a breach
        if (type == EventType.CLAIM_SLA_BREACHED) {
            return Optional.of(new FieldError("eventType", eventType + " is raised by the hub's SLA scheduler only;"
                    + " a client cannot push it"));
        }
        // the policy administration system's verdict: pushed, it would let a client approve what no policy covers
        if (type == EventType.CLAIM_POLICY_CHECKED) {
            return Optional.of(new FieldError("eventType", eventType + " is recorded by the hub's policy adapter"
                    + " only; a client cannot push it"));
        }
        return Optional.empty();
    }

    private void releaseAll(List<IdempotencyRecords.Reservation> reservations) {
        try {
            idempotencyRecords.releaseAll(reservations);
        } catch (RuntimeException e) {
            LOG.debug("could not release idempotency reservations; they lapse with their lease", e);
        }
    }

    /** Frees the key of a submission that failed; should Redis fail too, the in-flight lease runs out instead. */
    private void release(IdempotencyRecords.Reservation reservation) {
        try {
            idempotencyRecords.release(reservation);
        } catch (RuntimeException e) {
            LOG.debug("could not release an idempotency reservation; it lapses with its lease", e);
        }
    }
}
