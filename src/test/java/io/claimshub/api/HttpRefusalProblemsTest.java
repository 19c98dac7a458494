package io.claimshub.api;

import static io.claimshub.testsupport.TestFiles.testResource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP server refuses before the API sees a request is answered as problem+json too, sent over a raw
 * socket as a misbehaving client would send it.
 */
@Tag("redis")
class HttpRefusalProblemsTest {

    private static final String STREAM = TestRedis.uniqueKey("refusal-events");
    private static final int MAX_BODY = 4096;
    private static TestHub hub;
    private static int port;

    @BeforeAll
    static void bootHub() throws Exception {
        hub = TestHub.start(Map.of(
                "hub.events.stream", STREAM,
                "hub.consumer.name", "refusal-test",
                "hub.ingest.enabled", "false",
                "hub.api.max-body-bytes", Integer.toString(MAX_BODY),
                "hub.processing.roster-file", testResource("/rosters/nobody-eligible.yaml")));
        port = URI.create(hub.apiBase()).getPort();
    }

    @AfterAll
    static void stopHub() {
        TestHub.stop(hub, STREAM);
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413Problem() throws Exception {
        StringBuilder request = new StringBuilder("POST /api/claims HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestHub.API_KEY + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "x".repeat(1000);
        for (int i = 0; i < 8; i++) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");

        assertProblem(send(request.toString()), 413);
    }

    @Test
    void aTooLongUriIsA414Problem() throws Exception {
        String path = "/api/claims/" + "A".repeat(10_000);

        assertProblem(send("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestHub.API_KEY + "\r\n\r\n"), 414);
    }

    @Test
    void aBadContentLengthIsA400Problem() throws Exception {
        assertProblem(send("POST /api/claims HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestHub.API_KEY + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: twelve\r\n\r\n{}"), 400);
    }

    @Test
    void aCarriageReturnInsideAHeaderIsA400Problem() throws Exception {
        assertProblem(send("GET /api/claims/CLM-ABCD1234 HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestHub.API_KEY + "\r\nX-Trace: a\rb\r\n\r\n"), 400);
    }

    @Test
    void malformedJsonIsNamedWithoutTheParsersInternals() throws Exception {
        String deep = "[".repeat(1500) + "]".repeat(1500);
        String body = "{\"policyNumber\": " + deep + "}";

        Response response = send("POST /api/claims HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestHub.API_KEY + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

        JsonNode problem = assertProblem(response, 400);
        assertThat(problem.get("detail").asText()).doesNotContain("`", "StreamReadConstraints", "com.fasterxml",
                "jackson", "Jackson");
    }

    private static JsonNode assertProblem(Response response, int status) throws IOException {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
        JsonNode problem = EventJson.mapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("https://claims-hub.io/problems/");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }

    record Response(int status, Map<String, String> headers, String body) {
    }

    /** Sends the bytes as they are and reads one response (the server closes, or the declared length is read). */
    static Response send(String raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before the whole request is written
            }
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new java.util.HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                int length = Integer.parseInt(size.trim(), 16);
                if (length == 0) {
                    break;
                }
                chunks.write(in.readNBytes(length));
                readLine(in);
            }
            body = chunks.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
