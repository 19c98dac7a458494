package io.claimshub.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.ops.LogArchive;
import io.claimshub.ops.LogReplay;
import io.claimshub.ops.LogRetention;
import io.claimshub.ops.StreamAdmin;

/**
 * {@code GET /api/ops/streams}: each trimmed stream's length, oldest and newest entry, retention and archived ranges;
 * {@code POST /api/ops/replays}: a range of the log (archive and Redis) re-read into one named group.
 */
public final class StreamsApi {

    /** Ranges listed per stream (the most recent); the totals cover all. */
    static final int RANGES_LISTED = 100;
    private static final String MAX_SEQUENCE = "18446744073709551615";

    private final StreamAdmin streams;
    private final LogArchive archive;
    private final LogRetention retention;
    private final LogReplay replay;
    private final String claimStreamRetention;
    private final Predicate<String> groupHasSteps;

    public StreamsApi(StreamAdmin streams, LogArchive archive, LogRetention retention, LogReplay replay,
                      String claimStreamRetention, Predicate<String> groupHasSteps) {
        this.streams = streams;
        this.archive = archive;
        this.retention = retention;
        this.replay = replay;
        this.claimStreamRetention = claimStreamRetention;
        this.groupHasSteps = groupHasSteps;
    }

    /** {@code GET /api/ops/streams} */
    public ApiResponse streams() {
        ObjectNode body = EventJson.mapper().createObjectNode();
        ArrayNode list = body.putArray("streams");
        for (LogRetention.Policy policy : retention.policies()) {
            StreamAdmin.Ends ends = streams.ends(policy.stream());
            ObjectNode node = list.addObject();
            node.put("stream", policy.stream());
            node.put("length", ends.length());
            entry(node, "oldest", ends.first());
            entry(node, "newest", ends.last());
            node.put("retentionDays", policy.retention().toDays());
            List<LogArchive.Range> ranges = archive.ranges(policy.stream());
            ObjectNode archived = node.putObject("archived");
            archived.put("files", ranges.size());
            archived.put("entries", ranges.stream().mapToLong(LogArchive.Range::count).sum());
            archived.put("directory", archive.directory(policy.stream()).toString());
            ArrayNode listed = archived.putArray("ranges");
            for (LogArchive.Range range : ranges.subList(Math.max(0, ranges.size() - RANGES_LISTED), ranges.size())) {
                listed.addObject().put("file", range.file()).put("firstId", range.firstId()).put("lastId", range.lastId())
                        .put("count", range.count()).put("bytes", range.bytes()).put("sha256", range.sha256());
            }
        }
        body.putObject("claimStreams").put("retention", claimStreamRetention);
        return ApiResponse.json(200, body);
    }

    /**
     * {@code POST /api/ops/replays}: {@code {group, from, to, reason?}}, {@code from}/{@code to} entry ids or ISO-8601
     * instants (both inclusive): the log's entries in that range, archived or not, are queued for that group only.
     */
    public ApiResponse replayRange(String operator, String contentType, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        OpsRequests.Parsed request = OpsRequests.write(operator, contentType, body, true, errors);
        if (request.refusal() != null) {
            return request.refusal();
        }
        JsonNode json = request.json();
        String group = OpsRequests.group(json, errors);
        Optional<String> from = position(json, "from", "0", errors);
        Optional<String> to = position(json, "to", MAX_SEQUENCE, errors);
        String reason = OpsRequests.optionalText(json, "reason", errors);
        if (from.isPresent() && to.isPresent() && StreamAdmin.compareIds(from.get(), to.get()) > 0) {
            errors.add(new FieldError("to", "must not be before from"));
        }
        if (!errors.isEmpty()) {
            return Problems.invalid(OpsRequests.summary(errors), errors);
        }
        if (!groupHasSteps.test(group)) {
            return Problems.notPossible("group " + group + " has no steps in this hub to replay to");
        }
        LogReplay.Queued queued = replay.replay(group, from.get(), to.get(), operator, reason);
        ObjectNode answer = EventJson.mapper().createObjectNode();
        answer.put("group", group).put("from", from.get()).put("to", to.get())
                .put("fromArchive", queued.fromArchive()).put("fromLog", queued.fromLog());
        return ApiResponse.json(202, answer);
    }

    /** An entry id, or an instant as the first ({@code from}) or last ({@code to}) id of its millisecond. */
    private static Optional<String> position(JsonNode json, String field, String sequence, List<FieldError> errors) {
        JsonNode value = json == null ? null : json.get(field);
        if (value == null || !value.isTextual()) {
            errors.add(new FieldError(field, "is required: an entry id (1767225600000-0) or an ISO-8601 instant"));
            return Optional.empty();
        }
        String text = value.asText();
        if (StreamAdmin.isId(text)) {
            return Optional.of(text.contains("-") ? text : text + "-" + sequence);
        }
        try {
            return Optional.of(Instant.parse(text).toEpochMilli() + "-" + sequence);
        } catch (DateTimeParseException | ArithmeticException e) {
            errors.add(new FieldError(field, "'" + text + "' is neither an entry id nor an ISO-8601 instant"));
            return Optional.empty();
        }
    }

    private static void entry(ObjectNode node, String name, Optional<String> id) {
        if (id.isEmpty()) {
            node.putNull(name);
        } else {
            node.putObject(name).put("id", id.get())
                    .put("at", Instant.ofEpochMilli(StreamAdmin.millis(id.get())).toString());
        }
    }
}
