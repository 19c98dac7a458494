package io.claimshub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import io.claimshub.testsupport.TestHub;

/** The hub's REST API called over HTTP as a client calls it: JSON bodies, answers read as text. */
final class ClaimsApiClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);

    private final String apiBase;

    /** @param apiBase {@code http://host:port} of the hub's API */
    ClaimsApiClient(String apiBase) {
        this.apiBase = apiBase;
    }

    /** POSTs a JSON body, with {@code headers} given as name, value, name, value ... */
    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return HTTP.send(jsonPost(path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body without waiting for the answer. */
    CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
        return HTTP.sendAsync(jsonPost(path, body), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs the bytes as they are, under the given content type. */
    HttpResponse<String> post(String path, byte[] body, String contentType) throws Exception {
        return HTTP.send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's body as JSON. */
    static JsonNode json(HttpResponse<String> response) {
        return EventJson.parse(response.body(), "response");
    }

    private HttpRequest jsonPost(String path, String body, String... headers) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(apiBase + path)).header("X-API-Key", TestHub.API_KEY).timeout(ANSWER_WITHIN);
    }
}
