package io.claimshub.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The hub's API as an authorised client calls it (X-API-Key: the test hubs' administrator key). */
final class PrivacyHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    PrivacyHttp(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    /** POSTs JSON, with {@code headers} given as name, value, name, value ... */
    HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    HttpResponse<String> delete(String path, String... headers) throws Exception {
        HttpRequest.Builder request = request(path).DELETE();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return EventJson.parse(response.body(), "answer");
    }

    /** Submits a claim; returns its id. */
    String submit(String name, String email, String phone, String description, String priority) throws Exception {
        String body = """
                {"policyNumber":"POL-777001","claimType":"auto","incidentDate":"2026-02-27",
                 "description":%s,"amountClaimed":{"amount":1500.00,"currency":"EUR"},
                 "claimant":{"name":%s,"email":%s,"phone":%s},
                 "region":"north","priority":"%s"}""".formatted(quote(description), quote(name), quote(email),
                quote(phone), priority);
        HttpResponse<String> response = post("/api/claims", body);
        if (response.statusCode() != 202) {
            throw new AssertionError("submission answered " + response.statusCode() + ": " + response.body());
        }
        return EventJson.parse(response.body(), "answer").get("claimId").asText();
    }

    void push(String claimId, String eventType, String data) throws Exception {
        HttpResponse<String> response = post("/api/claims/" + claimId + "/events",
                "{\"eventType\":\"" + eventType + "\",\"data\":" + data + "}");
        if (response.statusCode() != 202) {
            throw new AssertionError(eventType + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    static String quote(String text) {
        return EventJson.write(text);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("X-API-Key", TestHub.API_KEY);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
