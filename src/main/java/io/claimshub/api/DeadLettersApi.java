package io.claimshub.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.ops.DeadLetter;
import io.claimshub.ops.DeadLetters;
import io.claimshub.ops.StreamAdmin;

/**
 * {@code /api/ops/dead-letters}: operators list a group's dead letters, look at one, replay one, a selection or all of
 * a group's to that group only, and discard one with a reason. Writes name their operator in {@code X-Operator}
 * (until the API authenticates); each is recorded in the operations audit stream. See
 * docs/dead-letters-and-retention.md.
 */
public final class DeadLettersApi {

    static final int MAX_SELECTION = 1000;

    private final DeadLetters deadLetters;
    private final Predicate<String> groupHasSteps;

    /** @param groupHasSteps whether a group has steps in this hub to replay to ({@code direct:<group>}) */
    public DeadLettersApi(DeadLetters deadLetters, Predicate<String> groupHasSteps) {
        this.deadLetters = deadLetters;
        this.groupHasSteps = groupHasSteps;
    }

    /** {@code GET /api/ops/dead-letters?group=&limit=&after=}: the group's dead letters, oldest first. */
    public ApiResponse list(String group, String limit, String after) {
        List<FieldError> errors = new ArrayList<>();
        OpsRequests.checkGroup(group, errors);
        Integer n = OperationsApi.limit(limit);
        if (n == null) {
            errors.add(new FieldError("limit", "'" + limit + "' is not a whole number from 1 to " + OperationsApi.MAX_LIMIT));
        }
        if (after != null && !StreamAdmin.isId(after)) {
            errors.add(new FieldError("after", "must be a dead letter's id, e.g. 1767225600000-0"));
        }
        if (!errors.isEmpty()) {
            return Problems.invalid(OpsRequests.summary(errors), errors);
        }
        DeadLetters.Page page = deadLetters.list(group, after, n);
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("group", group);
        ArrayNode list = body.putArray("deadLetters");
        page.deadLetters().forEach(deadLetter -> list.add(json(deadLetter)));
        page.next().ifPresentOrElse(next -> body.put("next", next), () -> body.putNull("next"));
        return ApiResponse.json(200, body);
    }

    /** {@code GET /api/ops/dead-letters/{id}} */
    public ApiResponse show(String id) {
        Optional<ApiResponse> badId = checkId(id);
        if (badId.isPresent()) {
            return badId.get();
        }
        return deadLetters.find(id).map(d -> ApiResponse.json(200, json(d)))
                .orElseGet(() -> Problems.notFound("no dead letter " + id));
    }

    /** {@code POST /api/ops/dead-letters/{id}/replay}, body optional: {@code {reason}}. */
    public ApiResponse replayOne(String id, String operator, String contentType, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        if (!StreamAdmin.isId(id)) {
            errors.add(new FieldError("id", "must be a dead letter's id, e.g. 1767225600000-0"));
        }
        OpsRequests.Parsed request = OpsRequests.write(operator, contentType, body, false, errors);
        if (request.refusal() != null) {
            return request.refusal();
        }
        String reason = OpsRequests.optionalText(request.json(), "reason", errors);
        if (!errors.isEmpty()) {
            return Problems.invalid(OpsRequests.summary(errors), errors);
        }
        Optional<DeadLetter> found = deadLetters.find(id);
        if (found.isEmpty()) {
            return Problems.notFound("no dead letter " + id);
        }
        Optional<ApiResponse> noSteps = checkSteps(found.get().group());
        if (noSteps.isPresent()) {
            return noSteps.get();
        }
        DeadLetters.Resolution outcome = deadLetters.replay(id, null, operator, reason);
        return switch (outcome.status()) {
            case DONE -> ApiResponse.json(202, replayed(EventJson.mapper().createObjectNode(), id, outcome)
                    .put("group", found.get().group()));
            case NOT_FOUND -> Problems.notFound(outcome.detail());
            case OTHER_GROUP, NOT_REPLAYABLE -> Problems.notPossible(outcome.detail());
        };
    }

    /**
     * {@code POST /api/ops/dead-letters/replay}: {@code {group, ids: [...], reason?}} or {@code {group, all: true,
     * reason?}}. Only dead letters of {@code group} are replayed; the others named are listed as skipped.
     */
    public ApiResponse replaySelection(String operator, String contentType, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        OpsRequests.Parsed request = OpsRequests.write(operator, contentType, body, true, errors);
        if (request.refusal() != null) {
            return request.refusal();
        }
        JsonNode json = request.json();
        String group = OpsRequests.group(json, errors);
        String reason = OpsRequests.optionalText(json, "reason", errors);
        boolean all = json != null && json.path("all").asBoolean(false);
        Set<String> ids = new LinkedHashSet<>();
        JsonNode idList = json == null ? null : json.get("ids");
        if (all == (idList != null)) {
            errors.add(new FieldError(all ? "all" : "ids", "give either ids (a list of dead letter ids) or all: true"));
        } else if (idList != null) {
            if (!idList.isArray() || idList.isEmpty() || idList.size() > MAX_SELECTION) {
                errors.add(new FieldError("ids", "must be a list of 1 to " + MAX_SELECTION + " dead letter ids"));
            } else {
                for (int i = 0; i < idList.size(); i++) {
                    if (!StreamAdmin.isId(idList.get(i).asText(null))) {
                        errors.add(new FieldError("ids[" + i + "]", "must be a dead letter's id, e.g. 1767225600000-0"));
                    } else {
                        ids.add(idList.get(i).asText());
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            return Problems.invalid(OpsRequests.summary(errors), errors);
        }
        Optional<ApiResponse> noSteps = checkSteps(group);
        if (noSteps.isPresent()) {
            return noSteps.get();
        }
        ObjectNode answer = EventJson.mapper().createObjectNode().put("group", group);
        ArrayNode replayed = answer.putArray("replayed");
        ArrayNode skipped = answer.putArray("skipped");
        if (all) {
            // a page at a time; each one replayed leaves the stream, so the next page starts after the last skipped
            String after = null;
            while (true) {
                DeadLetters.Page page = deadLetters.list(group, after, OperationsApi.MAX_LIMIT);
                page.deadLetters().forEach(d -> replayInto(d.id(), group, operator, reason, replayed, skipped));
                if (page.next().isEmpty()) {
                    break;
                }
                after = page.next().get();
            }
        } else {
            ids.forEach(id -> replayInto(id, group, operator, reason, replayed, skipped));
        }
        return ApiResponse.json(202, answer);
    }

    /** {@code POST /api/ops/dead-letters/{id}/discard}, body {@code {reason}} (required). */
    public ApiResponse discard(String id, String operator, String contentType, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        if (!StreamAdmin.isId(id)) {
            errors.add(new FieldError("id", "must be a dead letter's id, e.g. 1767225600000-0"));
        }
        OpsRequests.Parsed request = OpsRequests.write(operator, contentType, body, true, errors);
        if (request.refusal() != null) {
            return request.refusal();
        }
        String reason = OpsRequests.optionalText(request.json(), "reason", errors);
        if (reason == null && errors.stream().noneMatch(e -> e.field().equals("reason"))) {
            errors.add(new FieldError("reason", "is required: why the dead letter is discarded"));
        }
        if (!errors.isEmpty()) {
            return Problems.invalid(OpsRequests.summary(errors), errors);
        }
        DeadLetters.Resolution outcome = deadLetters.discard(id, operator, reason);
        if (outcome.status() == DeadLetters.Status.NOT_FOUND) {
            return Problems.notFound(outcome.detail());
        }
        return ApiResponse.json(200, EventJson.mapper().createObjectNode().put("id", id).put("discarded", true));
    }

    private void replayInto(String id, String group, String operator, String reason, ArrayNode replayed,
                            ArrayNode skipped) {
        DeadLetters.Resolution outcome = deadLetters.replay(id, group, operator, reason);
        if (outcome.status() == DeadLetters.Status.DONE) {
            replayed(replayed.addObject(), id, outcome);
        } else {
            skipped.addObject().put("id", id).put("detail", outcome.detail());
        }
    }

    private static ObjectNode replayed(ObjectNode node, String id, DeadLetters.Resolution outcome) {
        return node.put("id", id).put("replayEntryId", outcome.replayEntryId());
    }

    static ObjectNode json(DeadLetter deadLetter) {
        ObjectNode node = EventJson.mapper().createObjectNode();
        node.put("id", deadLetter.id());
        node.put("deadLetteredAt", deadLetter.deadLetteredAt().toString());
        node.put("group", deadLetter.group());
        node.put("stream", deadLetter.stream());
        node.put("entryId", deadLetter.entryId());
        node.put("consumer", deadLetter.consumer());
        node.put("reason", deadLetter.reason());
        node.put("error", deadLetter.error());
        node.put("deliveryCount", deadLetter.deliveryCount());
        node.put("replays", deadLetter.replays());
        node.put("replayable", deadLetter.notReplayable().isEmpty());
        deadLetter.notReplayable().ifPresent(why -> node.put("notReplayable", why));
        ObjectNode entry = node.putObject("entry");
        deadLetter.entry().forEach(entry::put);
        return node;
    }

    private Optional<ApiResponse> checkSteps(String group) {
        if (groupHasSteps.test(group)) {
            return Optional.empty();
        }
        return Optional.of(Problems.notPossible("group " + group + " has no steps in this hub to replay to"));
    }

    private static Optional<ApiResponse> checkId(String id) {
        if (StreamAdmin.isId(id)) {
            return Optional.empty();
        }
        return Optional.of(Problems.invalid(new FieldError("id", "must be a dead letter's id, e.g. 1767225600000-0")));
    }
}
