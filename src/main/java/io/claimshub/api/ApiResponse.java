package io.claimshub.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the API answers: the HTTP status, the response headers (Content-Type among them) and a JSON body, or none.
 */
public record ApiResponse(int status, Map<String, String> headers, JsonNode body) {

    public static final String CONTENT_TYPE = "Content-Type";
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, Map.of(CONTENT_TYPE, JSON), body);
    }

    /** A text body (e.g. {@code text/csv}), written as it is rather than as JSON. */
    public static ApiResponse text(int status, String contentType, String text) {
        return new ApiResponse(status, Map.of(CONTENT_TYPE, contentType), com.fasterxml.jackson.databind.node.TextNode.valueOf(text));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, more, body);
    }

    public String contentType() {
        return headers.get(CONTENT_TYPE);
    }
}
