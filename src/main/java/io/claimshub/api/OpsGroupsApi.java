package io.claimshub.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.event.InvalidEventException;
import io.claimshub.ops.GroupPositions;
import io.claimshub.ops.StreamIds;

/**
 * The operators' consumer-group operations of the REST API, free of HTTP plumbing: {@code POST
 * /api/ops/groups/{group}/position} moves a group's position by time or entry id (docs/operations.md).
 */
public final class OpsGroupsApi {

    static final String OPERATOR = "X-Operator";
    static final int MAX_OPERATOR_LENGTH = 100;
    static final int MAX_REASON_LENGTH = 1000;
    static final int MAX_GROUP_LENGTH = 200;
    private static final Set<String> FIELDS = Set.of("stream", "time", "entryId", "dryRun", "force", "reason");

    private final GroupPositions positions;
    private final String defaultStream;
    private final List<String> streams;

    /**
     * @param defaultStream the stream a request names none of (the claim log)
     * @param streams       the streams whose groups may be moved
     */
    public OpsGroupsApi(GroupPositions positions, String defaultStream, List<String> streams) {
        this.positions = positions;
        this.defaultStream = defaultStream;
        this.streams = List.copyOf(streams);
    }

    /**
     * {@code POST /api/ops/groups/{group}/position} with {@code {time | entryId, dryRun?, force?, reason, stream?}}:
     * the group's next read starts at the first entry at or after {@code time}, or at {@code entryId}.
     */
    public ApiResponse position(String group, String operator, String contentType, byte[] body) {
        if (!ClaimsApi.isJson(contentType)) {
            return Problems.unsupportedMediaType(contentType);
        }
        JsonNode json;
        try {
            json = EventJson.parseRequest(body == null ? new byte[0] : body, ClaimsApi.charset(contentType));
        } catch (InvalidEventException e) {
            return ClaimsApi.unreadable(e);
        } catch (RuntimeException e) {
            return Problems.unsupportedMediaType(contentType);
        }
        if (!(json instanceof ObjectNode request)) {
            return Problems.invalid(new FieldError("body", "must be a JSON object"));
        }
        List<FieldError> errors = new ArrayList<>();
        if (group == null || group.isEmpty() || group.length() > MAX_GROUP_LENGTH || !visible(group, true)) {
            errors.add(new FieldError("group", "must be 1 to " + MAX_GROUP_LENGTH + " printable characters"));
        }
        request.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a field of this request; expected " + FIELDS.stream().sorted()
                        .toList()));
            }
        });
        boolean dryRun = flag(request, "dryRun", errors);
        boolean force = flag(request, "force", errors);
        String stream = defaultStream;
        if (request.has("stream")) {
            JsonNode named = request.get("stream");
            if (!named.isTextual() || !streams.contains(named.asText())) {
                errors.add(new FieldError("stream", "must be one of " + streams));
            } else {
                stream = named.asText();
            }
        }
        String startId = startId(request, errors);
        String reason = text(request, "reason");
        if (!dryRun && (reason == null || reason.isBlank() || reason.length() > MAX_REASON_LENGTH)) {
            errors.add(new FieldError("reason", "must say why, in 1 to " + MAX_REASON_LENGTH + " characters"));
        }
        if (!dryRun && (operator == null || operator.isBlank() || operator.length() > MAX_OPERATOR_LENGTH
                || !visible(operator, true))) {
            errors.add(new FieldError(OPERATOR, "header required: who moves the group, 1 to " + MAX_OPERATOR_LENGTH
                    + " printable characters"));
        }
        if (!errors.isEmpty()) {
            return Problems.invalid(errors.stream().map(FieldError::toString).reduce((a, b) -> a + "; " + b)
                    .orElse(""), errors);
        }
        GroupPositions.Outcome outcome = positions.move(stream, group, startId, dryRun, force, operator, reason);
        if (outcome instanceof GroupPositions.NoSuchGroup missing) {
            return Problems.notFound("no consumer group '" + missing.group() + "' on stream " + missing.stream());
        }
        if (outcome instanceof GroupPositions.Refused refused) {
            GroupPositions.Move move = refused.wouldBe();
            return Problems.conflict("moving group '" + group + "' to " + move.position() + " would skip "
                    + move.skipped() + " entries it has not been delivered yet; send force: true to skip them",
                    Map.of("skipped", move.skipped(), "previousPosition", move.previousPosition(),
                            "position", move.position()));
        }
        GroupPositions.Move move = (GroupPositions.Move) outcome;
        ObjectNode answer = EventJson.mapper().valueToTree(move.details());
        answer.put("dryRun", move.dryRun());
        answer.put("applied", move.applied());
        if (move.auditId() != null) {
            answer.put("auditId", move.auditId());
        }
        return ApiResponse.json(200, answer);
    }

    private static String startId(ObjectNode request, List<FieldError> errors) {
        boolean byTime = request.has("time");
        boolean byId = request.has("entryId");
        if (byTime == byId) {
            errors.add(new FieldError("time", "give either time (ISO-8601 with offset) or entryId, not "
                    + (byTime ? "both" : "neither")));
            return null;
        }
        if (byTime) {
            String time = text(request, "time");
            try {
                Instant at = OffsetDateTime.parse(time == null ? "" : time).toInstant();
                if (at.toEpochMilli() < 0) {
                    throw new DateTimeParseException("before 1970", time, 0);
                }
                return StreamIds.firstAt(at);
            } catch (DateTimeParseException | ArithmeticException e) {
                errors.add(new FieldError("time", "must be an ISO-8601 date-time with offset from 1970 on, e.g. "
                        + "2026-03-02T09:00:00Z"));
                return null;
            }
        }
        String id = text(request, "entryId");
        if (!StreamIds.isValid(id)) {
            errors.add(new FieldError("entryId", "must be a stream entry id <milliseconds>-<sequence>, e.g. "
                    + "1767258000000-0"));
            return null;
        }
        return id;
    }

    private static boolean flag(ObjectNode request, String name, List<FieldError> errors) {
        JsonNode value = request.get(name);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            errors.add(new FieldError(name, "must be true or false"));
            return false;
        }
        return value.booleanValue();
    }

    private static String text(ObjectNode request, String name) {
        JsonNode value = request.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static boolean visible(String text, boolean spaces) {
        return text.codePoints().allMatch(c -> !Character.isISOControl(c) && (spaces || c != ' '));
    }
}
