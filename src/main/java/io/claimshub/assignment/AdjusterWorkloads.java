package io.claimshub.assignment;

import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.processing.Adjuster;
import io.claimshub.processing.AdjusterRoster;
import io.claimshub.processing.Workloads;
import io.claimshub.event.EventType;
import io.claimshub.store.ClaimKeys;
import io.claimshub.store.ClaimantPseudonyms;
import io.claimshub.store.ProcessingKeys;
import io.claimshub.store.RedisScripts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.claimshub.store.RedisTemplates;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Each adjuster's open claims and claims assigned today, kept in Redis and derived from the claims' own state: a
 * claim is open with its assignee while it is {@code assigned}, and leaves the count when it is decided. The count is
 * the size of a set of claim ids, so a claim is never counted twice however often its events are delivered; see
 * {@code redis/track-claim-workload.lua}.
 */
public final class AdjusterWorkloads {

    private static final RedisScript<String> TRACK = RedisScripts.text("redis/track-claim-workload.lua");
    private static final RedisScript<List<Object>> READ_WORKLOADS = RedisScripts.replies("redis/read-workloads.lua");
    // the assigned-on-day sets are only asked about for today; two days covers a claim assigned just before midnight
    private static final Duration ASSIGNED_ON_DAY_KEPT = Duration.ofDays(2);

    private final StringRedisTemplate redis;
    private final ProcessingKeys keys;
    private final ClaimantPseudonyms pseudonyms;

    public AdjusterWorkloads(RedisConnectionFactory connectionFactory, ProcessingKeys keys, ClaimantPseudonyms pseudonyms) {
        this.keys = keys;
        this.pseudonyms = pseudonyms;
        this.redis = RedisTemplates.strings(connectionFactory);
    }

    /**
     * Brings the workload indexes (open claims, assigned today, unassigned queue, SLA deadlines) to this state of
     * the claim; a state older than one applied before changes nothing. A closed claim (rejected or paid) leaves
     * them all, its {@code adjusters:claim-owner} record included; its stream, which ends with the closing event,
     * then tells an older state delivered late for stale.
     */
    public void track(ClaimState state) {
        String claimId = state.claimId();
        boolean open = state.status() == ClaimStatus.ASSIGNED;
        String newOwner = open ? state.assigneeId() : "";
        String deadline = open && state.slaDeadline() != null && state.slaBreachedAt() == null
                ? Long.toString(state.slaDeadline().toEpochMilli()) : "";
        LocalDate assignedDay = LocalDate.ofInstant(
                state.assignedAt() != null ? state.assignedAt() : state.lastEventAt(), ZoneOffset.UTC);
        // one atomic script: it reads the adjuster the claim is open with now, so nothing can change in between
        String newSet = newOwner.isEmpty() ? keys.claimOwners() : keys.openClaims(newOwner);
        String newDay = newOwner.isEmpty() ? keys.claimOwners() : keys.assignedOn(newOwner, assignedDay);
        redis.execute(TRACK,
                List.of(keys.claimOwners(), keys.openClaimCounts(), newSet, newDay, keys.unassigned(),
                        keys.slaDeadlines(), ClaimKeys.claimStream(claimId)),
                claimId, Long.toString(state.version()), newOwner, deadline,
                Long.toString(ASSIGNED_ON_DAY_KEPT.toSeconds()), state.status() == ClaimStatus.SUBMITTED ? "1" : "0",
                keys.openClaimsKeyHead(), keys.openClaimsKeyTail(), state.status().isFinal() ? "1" : "0",
                EventType.CLAIM_REJECTED.wireName(), EventType.CLAIM_PAYMENT_COMPLETED.wireName());
    }

    /** The adjuster's open claims now. */
    public int openClaims(String adjusterId) {
        Long size = redis.opsForSet().size(keys.openClaims(adjusterId));
        return size == null ? 0 : size.intValue();
    }

    /** Open claims per adjuster, from the {@code adjusters:open-claims} sorted set; adjusters with none may be absent. */
    public Map<String, Integer> openClaimCounts() {
        Set<ZSetOperations.TypedTuple<String>> counts =
                redis.opsForZSet().rangeWithScores(keys.openClaimCounts(), 0, -1);
        Map<String, Integer> result = new HashMap<>();
        if (counts != null) {
            counts.forEach(tuple -> result.put(tuple.getValue(), tuple.getScore().intValue()));
        }
        return result;
    }

    /** The claims assigned to the adjuster on that UTC day. */
    public int assignedOn(String adjusterId, LocalDate day) {
        Long size = redis.opsForSet().size(keys.assignedOn(adjusterId, day));
        return size == null ? 0 : size.intValue();
    }

    /** The workloads of the roster's adjusters as they are now, for one choice. */
    public Workloads snapshot(AdjusterRoster roster, LocalDate today) {
        return read(roster, today, null).workloads();
    }

    /** A submission counted against its claimant's recent ones (the repeat-claimant fraud indicator). */
    public record ClaimantSubmission(String email, String claimId, Instant submittedAt, Duration window) {
    }

    /** The workloads for one choice, and the claimant's submissions within the window, this one included. */
    public record AssignmentInputs(Workloads workloads, int claimantRecentClaims) {
    }

    /**
     * As {@link #snapshot}, and in the same round trip records the submission under its claimant
     * ({@code claimant:{<pseudonym>}:claims}, idempotent by claim id) and counts the claimant's submissions in the window
     * ending at this one, this one included.
     */
    public AssignmentInputs snapshotRecording(AdjusterRoster roster, LocalDate today, ClaimantSubmission submission) {
        return read(roster, today, submission);
    }

    private AssignmentInputs read(AdjusterRoster roster, LocalDate today, ClaimantSubmission submission) {
        List<Adjuster> adjusters = List.copyOf(roster.adjusters());
        // one round trip: the open-claim counts, each adjuster's assigned-today set size in roster order, the claimant
        List<String> keyList = new ArrayList<>(2 + adjusters.size());
        keyList.add(keys.openClaimCounts());
        for (Adjuster adjuster : adjusters) {
            keyList.add(keys.assignedOn(adjuster.id(), today));
        }
        if (submission != null) {
            // an encrypted e-mail names its claimant's pseudonym; an unencrypted one is hashed to it
            keyList.add(keys.claimantClaims(io.claimshub.privacy.PersonalDataTokens.claimantOf(submission.email())
                    .orElseGet(() -> pseudonyms.ofEmail(submission.email()))));
        }
        List<Object> answers = redis.execute(READ_WORKLOADS, keyList,
                submission == null ? "" : submission.claimId(),
                submission == null ? "0" : Long.toString(submission.submittedAt().toEpochMilli()),
                submission == null ? "0" : Long.toString(submission.window().toMillis()),
                Integer.toString(adjusters.size()));
        Map<String, Integer> open = new HashMap<>();
        List<?> counts = (List<?>) answers.get(0);
        for (int i = 0; i + 1 < counts.size(); i += 2) {
            // scores are whole numbers of claims
            open.put(counts.get(i).toString(), (int) Double.parseDouble(counts.get(i + 1).toString()));
        }
        Map<String, Integer> assignedToday = new HashMap<>();
        for (int i = 0; i < adjusters.size(); i++) {
            Object size = answers.get(i + 1);
            assignedToday.put(adjusters.get(i).id(), size == null ? 0 : ((Number) size).intValue());
        }
        int claimantCount = ((Number) answers.get(adjusters.size() + 1)).intValue();
        return new AssignmentInputs(Workloads.of(open, assignedToday), claimantCount);
    }
}
