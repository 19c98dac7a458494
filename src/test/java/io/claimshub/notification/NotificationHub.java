package io.claimshub.notification;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.claimshub.assignment.ProcessingFiles;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A booted hub wired to real partners: a GreenMail SMTP server, and a WireMock server standing in for the SMS
 * gateway ({@code /sms}) and the status portal ({@code /status}); its own events stream, Redis namespaces, roster
 * (one adjuster, ADJ-01, for auto claims in north) and copy of the shipped notification rules and templates.
 */
public final class NotificationHub implements AutoCloseable {

    public static final String SMS_PATH = "/sms";
    public static final String STATUS_PATH = "/status";
    public static final String WEBHOOK_SECRET = "portal-shared-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final GreenMail smtp;
    public final WireMockServer partners;
    public final Path rulesFile;
    public final String stream;
    public final String namespace;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final ProcessingFiles processingFiles;
    private TestHub hub;

    /** Starts the partners (not the hub): SMTP and HTTP both answer with success. */
    public NotificationHub(Path dir) {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        partners = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        partners.start();
        answerSms(200);
        partners.stubFor(WireMock.post(urlEqualTo(STATUS_PATH)).willReturn(aResponse().withStatus(204)));
        rulesFile = NotificationConfigFiles.copyShipped(dir);
        processingFiles = new ProcessingFiles(dir).writeRoster(List.of(
                ProcessingFiles.adjuster("ADJ-01", "auto", "north", "SENIOR", 100)));
        stream = TestRedis.uniqueKey("events");
        namespace = TestRedis.uniqueKey("notif");
        settings.put("hub.events.stream", stream);
        settings.put("hub.notifications.namespace", namespace);
        settings.put("hub.notifications.rules-file", rulesFile.toString());
        settings.put("hub.notifications.rules-check-interval", "200");
        settings.put("hub.notifications.templates-dir", dir.resolve("templates").toString());
        settings.put("hub.processing.roster-file", processingFiles.roster.toString());
        settings.put("hub.processing.rules-file", processingFiles.rules.toString());
        settings.put("hub.processing.sla-file", processingFiles.sla.toString());
        settings.put("hub.mail.smtp-url", "smtp://127.0.0.1:" + smtp.getSmtp().getPort());
        settings.put("hub.sms.gateway-url", partners.baseUrl() + SMS_PATH);
        settings.put("hub.sms.token", "gateway-token");
        settings.put("hub.webhook.url", partners.baseUrl() + STATUS_PATH);
        settings.put("hub.webhook.secret", WEBHOOK_SECRET);
        settings.put("hub.consumer.block", "200");
        settings.put("hub.consumer.background-read-delay", "0");
        for (String channel : List.of("email", "sms", "webhook")) {
            settings.put("hub.notifications." + channel + ".retry-delay", "100");
            settings.put("hub.notifications." + channel + ".retry-max-delay", "1000");
            settings.put("hub.notifications." + channel + ".breaker-open", "1");
            settings.put("hub.notifications." + channel + ".timeout", "10000");
        }
        settings.put("hub.mail.outbox-dir", dir.resolve("outbox/mail").toString());
        settings.put("hub.sms.outbox-file", dir.resolve("outbox/sms.jsonl").toString());
        settings.put("hub.webhook.outbox-file", dir.resolve("outbox/status-updates.jsonl").toString());
    }

    /** A setting of the test's own over the ones above (before {@link #start()}). */
    public NotificationHub with(String setting, String value) {
        settings.put(setting, value);
        return this;
    }

    public NotificationHub start() throws Exception {
        hub = TestHub.start(settings);
        return this;
    }

    public TestHub hub() {
        return hub;
    }

    public Map<String, String> settings() {
        return settings;
    }

    public void answerSms(int status) {
        partners.stubFor(WireMock.post(urlEqualTo(SMS_PATH)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"" + status + "\"}")));
    }

    /** The gateway answers messages to this number with the status (before any stub for every number). */
    public void answerSms(int status, String toNumber) {
        partners.stubFor(WireMock.post(urlEqualTo(SMS_PATH)).atPriority(1)
                .withRequestBody(WireMock.containing(toNumber)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"" + status + "\"}")));
    }

    public List<MimeMessage> mailTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equals(address));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** The JSON bodies the SMS gateway received. */
    public List<JsonNode> smsSent() {
        return partners.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(SMS_PATH)))
                .stream().map(r -> EventJson.parse(r.getBodyAsString(), "sms")).toList();
    }

    public List<JsonNode> statusUpdates() {
        return partners.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(STATUS_PATH)))
                .stream().map(r -> EventJson.parse(r.getBodyAsString(), "status")).toList();
    }

    /** Submits a claim; returns its id. */
    public String submit(String priority, String locale) throws Exception {
        return submit(priority, locale, "+447700900123");
    }

    public String submit(String priority, String locale, String phone) throws Exception {
        String body = """
                {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
                 "description":"Rear-ended at a traffic light","amountClaimed":{"amount":1500.00,"currency":"EUR"},
                 "claimant":{"name":"Ada O'Brien","email":"ada@example.com","phone":"%s"%s},
                 "region":"north","priority":"%s"}""".formatted(phone, locale == null ? "" : ",\"locale\":\"" + locale + "\"",
                priority);
        HttpResponse<String> response = post("/api/claims", body);
        if (response.statusCode() != 202) {
            throw new AssertionError("submission answered " + response.statusCode() + ": " + response.body());
        }
        return EventJson.parse(response.body(), "answer").get("claimId").asText();
    }

    /** Pushes an event to a claim; fails unless accepted. */
    /** The claim's policy checked by the hub's policy adapter (approval waits for it); see PolicyCheckFeed. */
    public void policyChecked(String claimId) {
        if (!"true".equals(hub.setting("hub.policy.enabled"))) {
            return; // with the check off (test hubs' default) approval does not wait for it
        }
        io.claimshub.testsupport.PolicyCheckFeed.checkThroughAdapter(hub, claimId);
    }

    public void push(String claimId, String eventType, String data) throws Exception {
        HttpResponse<String> response = post("/api/claims/" + claimId + "/events",
                "{\"eventType\":\"" + eventType + "\",\"data\":" + data + "}");
        if (response.statusCode() != 202) {
            throw new AssertionError(eventType + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    public HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).header("X-API-Key", TestHub.API_KEY).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).header("X-API-Key", TestHub.API_KEY).timeout(Duration.ofSeconds(20))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the hub only (the partners and Redis data stay), e.g. to start another on the same data. */
    public void stopHub() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
    }

    @Override
    public void close() {
        TestHub.stop(hub, stream);
        smtp.stop();
        partners.stop();
    }
}
