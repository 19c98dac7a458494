package io.claimshub.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.security.AccessAudit;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@code GET /api/audit?claimId=&subject=&from=&to=&limit=&after=}: the access audit trail, oldest first, filtered by
 * claim id and subject (exact), between two instants. At most {@value #SCAN} entries are looked at per request; when
 * more may match, {@code next} is the id to pass as {@code after} for the following page.
 */
public final class AuditApi {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int SCAN = 10_000;

    private final StringRedisTemplate redis;
    private final String stream;

    public AuditApi(StringRedisTemplate redis, String stream) {
        this.redis = redis;
        this.stream = stream;
    }

    public ApiResponse list(String claimId, String subject, String from, String to, String limit, String after) {
        Instant start;
        Instant end;
        int max;
        try {
            start = from == null ? null : OffsetDateTime.parse(from).toInstant();
        } catch (DateTimeParseException e) {
            return Problems.invalid(new FieldError("from", "is not an ISO-8601 date-time with an offset"));
        }
        try {
            end = to == null ? null : OffsetDateTime.parse(to).toInstant();
        } catch (DateTimeParseException e) {
            return Problems.invalid(new FieldError("to", "is not an ISO-8601 date-time with an offset"));
        }
        try {
            max = limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 1 || max > MAX_LIMIT) {
            return Problems.invalid(new FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
        }
        if (after != null && !after.matches("\\d{1,19}-\\d{1,19}")) {
            return Problems.invalid(new FieldError("after", "must be an entry id from a previous page's next"));
        }
        Range.Bound<String> lower = after != null ? Range.Bound.exclusive(after)
                : start != null ? Range.Bound.inclusive(start.toEpochMilli() + "-0") : Range.Bound.unbounded();
        Range.Bound<String> upper = end != null ? Range.Bound.inclusive(end.toEpochMilli() + "-" + Long.MAX_VALUE)
                : Range.Bound.unbounded();
        List<MapRecord<String, Object, Object>> scanned = redis.opsForStream().range(stream, Range.of(lower, upper),
                Limit.limit().count(SCAN));
        ObjectNode body = EventJson.mapper().createObjectNode();
        ArrayNode entries = body.putArray("entries");
        String last = null;
        for (MapRecord<String, Object, Object> record : scanned == null ? List.<MapRecord<String, Object, Object>>of()
                : scanned) {
            last = record.getId().getValue();
            Map<Object, Object> fields = record.getValue();
            if (claimId != null && !claimId.equals(fields.get(AccessAudit.CLAIM_ID))
                    || subject != null && !subject.equals(fields.get(AccessAudit.SUBJECT))) {
                continue;
            }
            ObjectNode entry = entries.addObject().put("id", last);
            fields.forEach((k, v) -> entry.put(k.toString(), v.toString()));
            if (entries.size() == max) {
                break;
            }
        }
        if (last != null && (entries.size() == max || scanned.size() == SCAN)) {
            body.put("next", last);
        }
        return ApiResponse.json(200, body);
    }
}
