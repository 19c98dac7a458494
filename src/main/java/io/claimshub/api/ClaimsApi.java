package io.claimshub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimState;
import io.claimshub.privacy.PersonalData;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.ClaimIds;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.EventValidator;
import io.claimshub.event.FieldError;
import io.claimshub.event.InvalidEventException;
import io.claimshub.event.MalformedJsonException;
import io.claimshub.event.PushedEvent;
import io.claimshub.event.Money;
import io.claimshub.event.StoredEvent;
import io.claimshub.ops.FailureLog;
import io.claimshub.security.AccessPolicy;
import io.claimshub.security.Caller;
import io.claimshub.security.Role;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.store.PushOutcome;
import io.claimshub.store.SubmitOutcome;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The claims REST API, free of HTTP plumbing: each method takes the request's parts (headers as strings, the body as
 * its bytes, read in the charset its Content-Type declares) and answers an {@link ApiResponse}. Every check that can
 * refuse a request runs before anything is written, so a refused request leaves every stream as it was. See
 * docs/api.md.
 */
public final class ClaimsApi {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimsApi.class);
    // an outage fails every request the same way: one line per kind every few seconds, not a stack trace each
    private static final FailureLog FAILURES = new FailureLog(LOG, Duration.ofSeconds(10));

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    // Redis error replies that say "not now" rather than "not this": the same request succeeds once they pass
    private static final Set<String> REDIS_NOT_SERVING_NOW = Set.of("LOADING", "READONLY", "MASTERDOWN", "BUSY",
            "TRYAGAIN");
    /** The claim's amounts, all in its currency. */
    private static final List<String> AMOUNTS = List.of("amountClaimed", "approvedAmount", "paymentAmount",
            "coverageLimit", "deductible");

    private final ClaimCommands commands;
    private final ClaimEventStore store;
    private final ClaimSnapshots snapshots;
    private final long maxBodyBytes;
    private final Clock clock;
    // the one access point that decrypts personal data for the API's readers
    private volatile PersonalData personalData = PersonalData.off();

    public ClaimsApi(ClaimCommands commands, ClaimEventStore store, ClaimSnapshots snapshots, long maxBodyBytes) {
        this(commands, store, snapshots, maxBodyBytes, Clock.systemUTC());
    }

    public ClaimsApi(ClaimCommands commands, ClaimEventStore store, ClaimSnapshots snapshots, long maxBodyBytes,
                     Clock clock) {
        this.commands = commands;
        this.store = store;
        this.snapshots = snapshots;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    /** Decrypt personal data through this access point in every claim and event the API shows. */
    public ClaimsApi revealWith(PersonalData protection) {
        this.personalData = protection;
        return this;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * {@code POST /api/claims}: the body is the submission's data, optionally with the client's {@code eventId}.
     * The same {@code Idempotency-Key} (or, without one, the same {@code eventId}) with the same payload answers the
     * first result; with another payload it is a 422, and while the first request is in flight a 409.
     */
    public ApiResponse submit(String contentType, String contentLength, String idempotencyKey, byte[] body) {
        return submit(null, contentType, contentLength, idempotencyKey, body);
    }

    /**
     * As {@link #submit(String, String, String, byte[])}, the claim.submitted event recorded as caused by the caller
     * the API's guard authenticated ({@link Caller#HEADER}); an {@code actor} in the body is data, not the actor.
     */
    public ApiResponse submit(String callerHeader, String contentType, String contentLength, String idempotencyKey,
                              byte[] body) {
        Caller caller = Caller.fromHeader(callerHeader);
        Optional<ApiResponse> refused = checkBody(contentType, contentLength, body);
        if (refused.isPresent()) {
            return refused.get();
        }
        JsonNode json;
        try {
            json = EventJson.parseRequest(body, charset(contentType));
        } catch (InvalidEventException e) {
            return unreadable(e);
        }
        if (!(json instanceof ObjectNode data)) {
            return Problems.invalid(new FieldError("body", "must be a JSON object"));
        }
        List<FieldError> errors = new ArrayList<>();
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            errors.add(new FieldError(IDEMPOTENCY_KEY, "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " visible ASCII characters"));
        }
        // the client's event id travels with the data but is not part of it: checked as the pushed event
        // {"eventType":"claim.submitted","data":...,"eventId":...} that a JSON Lines file may carry
        JsonNode rawEventId = data.remove("eventId");
        ObjectNode asPushed = EventJson.mapper().createObjectNode()
                .put("eventType", EventType.CLAIM_SUBMITTED.wireName()).set("data", data);
        if (rawEventId != null) {
            asPushed.set("eventId", rawEventId);
        }
        errors.addAll(EventValidator.validatePushedEvent(asPushed));
        if (!errors.isEmpty()) {
            return Problems.invalid(summary(errors), errors);
        }
        UUID eventId = PushedEvent.of(asPushed).eventId();
        SubmitOutcome outcome = commandsFor(caller).submit(data, idempotencyKey, eventId);
        if (outcome instanceof SubmitOutcome.Invalid invalid) {
            // the body is the data, so name fields from the body's root
            List<FieldError> fromBody = invalid.errors().stream()
                    .map(e -> new FieldError(e.field().startsWith("data.") ? e.field().substring(5) : e.field(),
                            e.message()))
                    .toList();
            return Problems.invalid(summary(fromBody), fromBody);
        }
        if (outcome instanceof SubmitOutcome.KeyReused) {
            return Problems.idempotencyKeyReused(idempotencyKey != null ? IDEMPOTENCY_KEY : "eventId");
        }
        if (outcome instanceof SubmitOutcome.KeyInFlight) {
            return Problems.idempotencyKeyInFlight(idempotencyKey != null ? IDEMPOTENCY_KEY : "eventId");
        }
        SubmitOutcome.Accepted accepted = (SubmitOutcome.Accepted) outcome;
        return accepted(accepted.claimId(), accepted.eventId(), accepted.version());
    }

    /** {@code POST /api/claims/{claimId}/events}: {@code {eventType, data, eventId?, expectedVersion?}}. */
    public ApiResponse push(String claimId, String contentType, String contentLength, byte[] body) {
        return push(null, claimId, contentType, contentLength, body);
    }

    /**
     * As {@link #push(String, String, String, byte[])} for the caller the API's guard authenticated: the event type
     * must be one its roles may push ({@link AccessPolicy#PUSH}), and an adjuster (not supervisor) pushes only on
     * claims assigned to it; the event is recorded as caused by the caller.
     */
    public ApiResponse push(String callerHeader, String claimId, String contentType, String contentLength,
                            byte[] body) {
        Caller caller = Caller.fromHeader(callerHeader);
        Optional<ApiResponse> refused = checkBody(contentType, contentLength, body);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<ApiResponse> badId = checkClaimId(claimId);
        if (badId.isPresent()) {
            return badId.get();
        }
        JsonNode json;
        try {
            json = EventJson.parseRequest(body, charset(contentType));
        } catch (InvalidEventException e) {
            return unreadable(e);
        }
        if (!(json instanceof ObjectNode request)) {
            return Problems.invalid(new FieldError("body", "must be a JSON object"));
        }
        List<FieldError> errors = EventValidator.validatePushedEvent(request);
        if (!errors.isEmpty()) {
            return Problems.invalid(summary(errors), errors);
        }
        PushedEvent event = PushedEvent.of(request);
        if (caller != null && EventType.isKnown(event.eventType())) {
            Optional<ApiResponse> forbidden = checkPush(caller, claimId, EventType.fromWire(event.eventType()));
            if (forbidden.isPresent()) {
                return forbidden.get();
            }
        }
        PushOutcome outcome = commandsFor(caller).push(claimId, event.eventType(), event.data(), event.eventId(),
                event.expectedVersion());
        if (outcome instanceof PushOutcome.Accepted accepted) {
            return accepted(accepted.claimId(), accepted.eventId(), accepted.version());
        }
        if (outcome instanceof PushOutcome.Invalid invalid) {
            return Problems.invalid(summary(invalid.errors()), invalid.errors());
        }
        if (outcome instanceof PushOutcome.NotFound) {
            return unknownClaim(claimId);
        }
        PushOutcome.Conflict conflict = (PushOutcome.Conflict) outcome;
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("claimId", claimId);
        current.put("currentVersion", conflict.currentVersion());
        current.put("currentStatus", conflict.state().status());
        current.put("state", personalData.reveal(claimId, claimJson(conflict.state(), clock.instant())));
        return Problems.conflict(conflict.reason(), current);
    }

    /**
     * {@code GET /api/claims/{claimId}[?asOf=...]}. Without {@code asOf}: the snapshot hash (its writer stores it
     * with each event), unless it is behind the claim's stream (until the processors repair it); then the claim
     * replayed from its stream, so a client never reads an older claim than the one its own 202 reported. With
     * {@code asOf}: the claim rebuilt from its events stamped at or before that instant.
     */
    public ApiResponse claim(String claimId, String asOf) {
        Optional<ApiResponse> badId = checkClaimId(claimId);
        if (badId.isPresent()) {
            return badId.get();
        }
        if (asOf != null) {
            Instant at;
            try {
                at = OffsetDateTime.parse(asOf).toInstant();
            } catch (DateTimeParseException e) {
                return Problems.invalid(new FieldError("asOf", "'" + asOf
                        + "' is not an ISO-8601 date-time with an offset, e.g. 2026-03-02T09:00:00Z"));
            }
            return store.stateAsOf(claimId, at)
                    .map(state -> ApiResponse.json(200, personalData.reveal(claimId, claimJson(state, at))))
                    .orElseGet(() -> Problems.notFound("claim " + claimId + " did not exist at " + asOf));
        }
        long streamVersion = store.currentVersion(claimId);
        if (streamVersion == 0) {
            return unknownClaim(claimId);
        }
        Optional<ClaimState> snapshot = snapshots.read(claimId).filter(state -> state.version() >= streamVersion);
        Optional<ClaimState> state = snapshot.isPresent() ? snapshot : store.replay(claimId);
        Instant now = clock.instant();
        return state.map(s -> ApiResponse.json(200, personalData.reveal(claimId, claimJson(s, now))))
                .orElseGet(() -> unknownClaim(claimId));
    }

    /**
     * The snapshot's fields, plus {@code slaRemainingSeconds} while the claim is assigned and has a deadline: the
     * whole seconds from {@code at} (now, or {@code asOf}) to the deadline, negative once it has passed. A decision
     * stops the SLA clock, so a decided claim has no remaining time.
     */
    static ObjectNode claimJson(ClaimState state, Instant at) {
        ObjectNode claim = EventJson.toObjectNode(state);
        // each amount as it is in the events: exact, with its currency ({"amount": 1500.00, "currency": "EUR"})
        for (String amount : AMOUNTS) {
            if (claim.hasNonNull(amount)) {
                Money money = new Money(claim.get(amount).decimalValue(), state.currency()).atCurrencyScale();
                claim.set(amount, EventJson.toObjectNode(money));
            }
        }
        if (state.status() == ClaimStatus.ASSIGNED && state.slaDeadline() != null) {
            claim.put("slaRemainingSeconds", Duration.between(at, state.slaDeadline()).toSeconds());
        }
        return claim;
    }

    /** {@code GET /api/claims/{claimId}/events}: the claim's events in order, each with its claimVersion. */
    public ApiResponse events(String claimId) {
        Optional<ApiResponse> badId = checkClaimId(claimId);
        if (badId.isPresent()) {
            return badId.get();
        }
        List<StoredEvent> history = store.history(claimId);
        if (history.isEmpty()) {
            return unknownClaim(claimId);
        }
        ObjectNode trail = EventJson.mapper().createObjectNode();
        trail.put("claimId", claimId);
        trail.put("version", history.get(history.size() - 1).claimVersion());
        ArrayNode events = trail.putArray("events");
        for (StoredEvent stored : history) {
            events.add(EventJson.toObjectNode(personalData.reveal(stored.event())).put("claimVersion",
                    stored.claimVersion()));
        }
        return ApiResponse.json(200, trail);
    }

    private ClaimCommands commandsFor(Caller caller) {
        return caller == null ? commands : commands.as(caller.subject());
    }

    /** The event type's roles; an adjuster who is let in only as adjuster, only on a claim assigned to it. */
    private Optional<ApiResponse> checkPush(Caller caller, String claimId, EventType type) {
        var allowed = AccessPolicy.pushRoles(type);
        if (!caller.hasAny(allowed)) {
            return Optional.of(Problems.forbidden(type.wireName() + " may be pushed by "
                    + allowed.stream().map(Role::wireName).sorted().toList() + "; " + caller.subject() + " has ["
                    + caller.roleNames() + "]"));
        }
        if (AccessPolicy.onlyAsAdjuster(caller, allowed)) {
            Optional<ClaimState> state = snapshots.read(claimId);
            if (state.isPresent() && !String.valueOf(state.get().assigneeId()).equals(caller.adjusterId())) {
                return Optional.of(Problems.forbidden("claim " + claimId + " is not assigned to adjuster "
                        + caller.adjusterId()));
            }
        }
        return Optional.empty();
    }

    /**
     * A failure inside the hub, answered without any of its details: a 503 while Redis is unreachable, too slow or
     * busy, else a 500 under a correlation id. An outage fails every request alike, so those are logged once per
     * interval with a count; any other failure is one line with its correlation id. Stack traces at DEBUG.
     */
    public ApiResponse failure(Throwable error) {
        String correlationId = UUID.randomUUID().toString();
        if (isRedisUnavailable(error)) {
            FAILURES.record("REST API requests failed: Redis is unavailable", "correlation id " + correlationId, error);
            return Problems.unavailable("the hub's store is unavailable; try again later (correlation id "
                    + correlationId + ")");
        }
        FAILURES.recordEach("REST API request failed", "correlation id " + correlationId, error);
        return Problems.internalError(correlationId);
    }

    /**
     * Redis refused the connection, timed out, no pooled connection was free in time, or it answered that it cannot
     * serve now: loading its data, a read-only replica or a master down during a failover, busy with a script.
     */
    static boolean isRedisUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof QueryTimeoutException
                    || t instanceof JedisConnectionException || t instanceof SocketTimeoutException
                    || t instanceof ConnectException
                    || REDIS_NOT_SERVING_NOW.contains(String.valueOf(FailureLog.redisErrorCode(t)))) {
                return true;
            }
        }
        return false;
    }

    private Optional<ApiResponse> checkBody(String contentType, String contentLength, byte[] body) {
        // the declared length is checked before the body is looked at (the HTTP server has refused larger ones already)
        if (contentLength != null) {
            try {
                if (Long.parseLong(contentLength.trim()) > maxBodyBytes) {
                    return Optional.of(Problems.tooLarge(maxBodyBytes));
                }
            } catch (NumberFormatException e) {
                return Optional.of(Problems.invalid(new FieldError("Content-Length", "must be a number")));
            }
        }
        if (body != null && body.length > maxBodyBytes) {
            return Optional.of(Problems.tooLarge(maxBodyBytes));
        }
        if (!isJson(contentType)) {
            return Optional.of(Problems.unsupportedMediaType(contentType));
        }
        try {
            charset(contentType);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return Optional.of(Problems.unsupportedMediaType(contentType));
        }
        return Optional.empty();
    }

    /** The charset the Content-Type declares, or null for none (then the body is UTF-8, as RFC 8259 has it). */
    static Charset charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String[] nameAndValue = parameter.split("=", 2);
            if (nameAndValue.length == 2 && nameAndValue[0].trim().equalsIgnoreCase("charset")) {
                return Charset.forName(nameAndValue[1].trim().replace("\"", ""));
            }
        }
        return null;
    }

    /** A body that cannot be read as one JSON document: malformed, or refused at a named field. */
    static ApiResponse unreadable(InvalidEventException e) {
        if (e instanceof MalformedJsonException) {
            return Problems.malformedJson("the body is not valid JSON"
                    + ("body".equals(e.field()) ? "" : " (at " + e.field() + ")") + ": " + e.reason());
        }
        return Problems.invalid(new FieldError(e.field(), e.reason()));
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
                || mediaType.startsWith("application/") && mediaType.endsWith("+json");
    }

    private static Optional<ApiResponse> checkClaimId(String claimId) {
        if (ClaimIds.isValid(claimId)) {
            return Optional.empty();
        }
        return Optional.of(Problems.invalid(new FieldError("claimId", "'" + claimId
                + "' is not a claim id; expected CLM- followed by 8 characters from A-Z and 0-9")));
    }

    private static ApiResponse unknownClaim(String claimId) {
        return Problems.notFound("no claim " + claimId);
    }

    private static ApiResponse accepted(String claimId, UUID eventId, long version) {
        ObjectNode body = EventJson.mapper().createObjectNode()
                .put("claimId", claimId)
                .put("eventId", eventId.toString())
                .put("version", version);
        return ApiResponse.json(202, body).withHeader("Location", "/api/claims/" + claimId);
    }

    private static String summary(List<FieldError> errors) {
        return errors.size() == 1 ? errors.get(0).toString() : errors.size() + " fields are invalid";
    }

}
