package io.claimshub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place RFC 7807 problem documents ({@code application/problem+json}) are built: every error the API
 * answers, including the HTTP server's own 404 and 413, has {@code type}, {@code title}, {@code status} and
 * {@code detail}; validation problems add {@code errors: [{field, message}]}.
 */
public final class Problems {

    static final String TYPE_BASE = "https://claims-hub.io/problems/";
    /** When a client should try again after a 503: a short Redis failover or a restart takes about this long. */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final Pattern PARSER_SETTING = Pattern.compile(",? *from `[^`]*`\\)");
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?; (line: \\d+, column: \\d+)\\]");
    private static final Pattern CHARACTER_CODE = Pattern.compile(" *\\((?:CTRL-CHAR, )?code -?\\d+\\)");
    private static final Pattern JAVA_NAME = Pattern.compile("(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:\\.[A-Za-z0-9_$()]+)*");

    private Problems() {
    }

    public static ApiResponse invalid(String detail, List<FieldError> errors) {
        ObjectNode problem = problem("invalid-request", "Invalid request", 400, detail);
        var list = problem.putArray("errors");
        errors.forEach(error -> list.addObject().put("field", error.field()).put("message", error.message()));
        return of(problem);
    }

    public static ApiResponse invalid(FieldError error) {
        return invalid(error.toString(), List.of(error));
    }

    /** The parser's wording is kept, but not the parts that name its internals (settings, classes, sources). */
    public static ApiResponse malformedJson(String detail) {
        return of(problem("malformed-json", "Malformed JSON", 400, withoutParserInternals(detail)));
    }

    static String withoutParserInternals(String detail) {
        String text = detail.split("\n", 2)[0];
        // "[Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 9]" -> "line: 1, column: 9";
        // "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)" -> "(1000)"; "(code 125)" goes
        text = SOURCE.matcher(text).replaceAll("$1");
        text = PARSER_SETTING.matcher(text).replaceAll(")");
        text = CHARACTER_CODE.matcher(text).replaceAll("");
        text = JAVA_NAME.matcher(text).replaceAll("a value");
        return text.replace("`", "'").trim();
    }

    public static ApiResponse uriTooLong() {
        return of(problem("uri-too-long", "URI too long", 414, "the request line is longer than the server accepts"));
    }

    public static ApiResponse headersTooLarge() {
        return of(problem("headers-too-large", "Request header fields too large", 431,
                "the request's headers are larger than the server accepts"));
    }

    /** A request the HTTP server could not parse: a bad Content-Length, a control character inside a header, ... */
    public static ApiResponse badHttpRequest() {
        return of(problem("bad-http-request", "Bad request", 400, "the request is not well-formed HTTP/1.1"));
    }

    /** Any other status the HTTP server refused a request with, by its reason phrase. */
    public static ApiResponse refused(int status) {
        String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
        return of(problem("http-" + status, reason, status, "the HTTP server refused the request: " + reason));
    }

    public static ApiResponse notFound(String detail) {
        return of(problem("not-found", "Not found", 404, detail));
    }

    /** A claim that cannot take the event now; {@code extra} carries the claim's current version and state. */
    public static ApiResponse conflict(String detail, Map<String, ?> extra) {
        ObjectNode problem = problem("conflict", "Conflict with the claim's current state", 409, detail);
        extra.forEach((name, value) -> problem.set(name, EventJson.mapper().valueToTree(value)));
        return of(problem);
    }

    /** An operations action that cannot be done on its target as it is (a dead letter that cannot be replayed, ...). */
    public static ApiResponse notPossible(String detail) {
        return of(problem("not-possible", "Not possible on this target", 409, detail));
    }

    public static ApiResponse tooLarge(long maxBytes) {
        return of(problem("body-too-large", "Request body too large", 413,
                "the request body is larger than the limit of " + maxBytes + " bytes"));
    }

    public static ApiResponse unsupportedMediaType(String contentTypeOrNull) {
        return of(problem("unsupported-media-type", "Unsupported media type", 415,
                (contentTypeOrNull == null ? "no Content-Type" : "Content-Type '" + contentTypeOrNull + "'")
                        + "; send the body as application/json"));
    }

    /**
     * The hub cannot answer now (its Redis is unreachable or too slow, or it is shutting down): a {@code 503} with
     * {@code Retry-After}. A write that got this answer may have been applied; a retry with the same
     * {@code Idempotency-Key} or {@code eventId} is safe.
     */
    public static ApiResponse unavailable(String detail) {
        return of(problem("unavailable", "Service unavailable", 503, detail))
                .withHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }

    /** A failure inside the hub; the details stay in the log under the correlation id. */
    public static ApiResponse internalError(String correlationId) {
        ObjectNode problem = problem("internal-error", "Internal server error", 500,
                "the hub could not handle the request; quote correlation id " + correlationId);
        problem.put("correlationId", correlationId);
        return of(problem);
    }

    /** The Idempotency-Key was used for another payload (IETF Idempotency-Key draft). */
    public static ApiResponse idempotencyKeyReused(String header) {
        return of(problem("idempotency-key-reused", "Idempotency key reused", 422, "the " + header
                + " was already used with another payload; send a new key for a new request"));
    }

    /** A request with the same Idempotency-Key is still being processed (IETF Idempotency-Key draft). */
    public static ApiResponse idempotencyKeyInFlight(String header) {
        return of(problem("request-in-flight", "Request already in flight", 409, "a request with the same " + header
                + " is still being processed; retry later for its result"));
    }

    /** The challenge of a 401: either way in (docs/security.md). */
    public static final String AUTHENTICATE_CHALLENGE =
            "Bearer realm=\"claims-hub\", ApiKey realm=\"claims-hub\", header=\"X-API-Key\"";

    /** No credentials, or credentials the hub does not accept (unknown or revoked key, refused token). */
    public static ApiResponse unauthorized(String detail) {
        return of(problem("unauthorized", "Unauthorized", 401, detail))
                .withHeader("WWW-Authenticate", AUTHENTICATE_CHALLENGE);
    }

    /** Authenticated, but not allowed this request (role, or another adjuster's claim). */
    public static ApiResponse forbidden(String detail) {
        return of(problem("forbidden", "Forbidden", 403, detail));
    }

    /** Over the caller's rate limit: try again after {@code retryAfterSeconds}. */
    public static ApiResponse tooManyRequests(long retryAfterSeconds) {
        return of(problem("too-many-requests", "Too many requests", 429,
                "over this caller's rate limit; try again in " + retryAfterSeconds + " s"))
                .withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    private static ObjectNode problem(String type, String title, int status, String detail) {
        ObjectNode problem = EventJson.mapper().createObjectNode();
        problem.put("type", TYPE_BASE + type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }

    private static ApiResponse of(ObjectNode problem) {
        return new ApiResponse(problem.get("status").intValue(), Map.of(ApiResponse.CONTENT_TYPE,
                ApiResponse.PROBLEM_JSON), problem);
    }
}
