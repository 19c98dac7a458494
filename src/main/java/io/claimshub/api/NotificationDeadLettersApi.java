package io.claimshub.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.notification.Channel;
import io.claimshub.notification.NotificationDeadLetters;
import io.claimshub.notification.NotificationDeadLetters.Resolution;
import io.claimshub.ops.StreamAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/ops/notifications/dead-letters}: the notification channels' dead letters (refused, retries exhausted,
 * unknown fate) listed per channel, replayed into the channel, confirmed as sent (unknown fate) or discarded. Writes
 * need {@code X-Operator} and are recorded in the operations audit stream.
 */
public final class NotificationDeadLettersApi {

    static final Set<String> REASONS = Set.of("refused", "retries-exhausted", "invalid-message", "unknown-fate");

    private final NotificationDeadLetters deadLetters;

    public NotificationDeadLettersApi(NotificationDeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** {@code GET /api/ops/notifications/dead-letters?channel=&reason=&limit=&after=} */
    public ApiResponse list(String channel, String reason, String limit, String after) {
        List<FieldError> errors = new ArrayList<>();
        Optional<Channel> parsed = channel(channel, errors);
        if (reason != null && !REASONS.contains(reason)) {
            errors.add(new FieldError("reason", "must be one of " + String.join(", ", REASONS.stream().sorted().toList())));
        }
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
        NotificationDeadLetters.Page page = deadLetters.list(parsed.get(), reason, after, n);
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("channel", parsed.get().wireName());
        ArrayNode list = body.putArray("deadLetters");
        page.entries().forEach(entry -> list.add(json(entry)));
        page.next().ifPresentOrElse(next -> body.put("next", next), () -> body.putNull("next"));
        return ApiResponse.json(200, body);
    }

    /** {@code GET /api/ops/notifications/dead-letters/{channel}/{id}} */
    public ApiResponse show(String channel, String id) {
        List<FieldError> errors = new ArrayList<>();
        Optional<Channel> parsed = channel(channel, errors);
        checkId(id, errors);
        if (!errors.isEmpty()) {
            return Problems.invalid(OpsRequests.summary(errors), errors);
        }
        return deadLetters.find(parsed.get(), id).map(entry -> ApiResponse.json(200, json(entry)))
                .orElseGet(() -> Problems.notFound("no dead letter " + id + " of the " + channel + " channel"));
    }

    /** {@code POST .../{channel}/{id}/replay}, body optional: {@code {reason}}. */
    public ApiResponse replay(String channel, String id, String operator, String contentType, byte[] body) {
        return write(channel, id, operator, contentType, body, false, Action.REPLAY);
    }

    /** {@code POST .../{channel}/{id}/confirm-sent}, body {@code {reason}} (required: how it was checked). */
    public ApiResponse confirmSent(String channel, String id, String operator, String contentType, byte[] body) {
        return write(channel, id, operator, contentType, body, true, Action.CONFIRM);
    }

    /** {@code POST .../{channel}/{id}/discard}, body {@code {reason}} (required). */
    public ApiResponse discard(String channel, String id, String operator, String contentType, byte[] body) {
        return write(channel, id, operator, contentType, body, true, Action.DISCARD);
    }

    private enum Action { REPLAY, CONFIRM, DISCARD }

    private ApiResponse write(String channel, String id, String operator, String contentType, byte[] body,
                              boolean reasonRequired, Action action) {
        List<FieldError> errors = new ArrayList<>();
        Optional<Channel> parsed = channel(channel, errors);
        checkId(id, errors);
        OpsRequests.Parsed request = OpsRequests.write(operator, contentType, body, reasonRequired, errors);
        if (request.refusal() != null) {
            return request.refusal();
        }
        String reason = OpsRequests.optionalText(request.json(), "reason", errors);
        if (reasonRequired && reason == null && errors.stream().noneMatch(e -> e.field().equals("reason"))) {
            errors.add(new FieldError("reason", "is required: why (and, to confirm a send, how it was checked)"));
        }
        if (!errors.isEmpty()) {
            return Problems.invalid(OpsRequests.summary(errors), errors);
        }
        Resolution outcome = switch (action) {
            case REPLAY -> deadLetters.replay(parsed.get(), id, operator, reason);
            case CONFIRM -> deadLetters.confirmSent(parsed.get(), id, operator, reason);
            case DISCARD -> deadLetters.discard(parsed.get(), id, operator, reason);
        };
        return switch (outcome.status()) {
            case NOT_FOUND -> Problems.notFound(outcome.detail());
            case NOT_POSSIBLE -> Problems.notPossible(outcome.detail());
            case DONE -> ApiResponse.json(action == Action.REPLAY ? 202 : 200, EventJson.mapper().createObjectNode()
                    .put("id", id).put("channel", parsed.get().wireName())
                    .put("outcome", switch (action) {
                        case REPLAY -> "replayed";
                        case CONFIRM -> "confirmed-sent";
                        case DISCARD -> "discarded";
                    })
                    .put("ledgerState", outcome.ledgerState()));
        };
    }

    private static Optional<Channel> channel(String channel, List<FieldError> errors) {
        Optional<Channel> parsed = channel == null ? Optional.empty() : Channel.fromWire(channel);
        if (parsed.isEmpty()) {
            errors.add(new FieldError("channel", "is required: email, sms or webhook"));
        }
        return parsed;
    }

    private static void checkId(String id, List<FieldError> errors) {
        if (!StreamAdmin.isId(id)) {
            errors.add(new FieldError("id", "must be a dead letter's id, e.g. 1767225600000-0"));
        }
    }

    private static ObjectNode json(NotificationDeadLetters.Entry entry) {
        ObjectNode node = EventJson.mapper().createObjectNode();
        node.put("id", entry.id());
        node.put("channel", entry.channel().wireName());
        node.put("claimId", entry.claimId());
        node.put("ledgerId", entry.ledgerId());
        node.put("eventType", entry.eventType());
        node.put("template", entry.template());
        node.put("to", entry.maskedTo());
        node.put("reason", entry.reason());
        node.put("error", entry.error());
        node.put("at", entry.at() == null ? null : entry.at().toString());
        node.put("ledgerState", entry.ledgerState());
        return node;
    }
}
