package io.claimshub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.assignment.ProcessingFiles;
import io.claimshub.event.ClaimEventFixtures;
import io.claimshub.event.EventJson;
import io.claimshub.notification.NotificationConfigFiles;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The hub on a real {@code redis-server} that speaks TLS only (certificates made for the test with the openssl CLI,
 * client certificates required) and lets the hub in only as the ACL user of docs/redis-security.md (the line is read
 * from that file): claims go through every group, and Redis refused the hub nothing (its ACL LOG stays empty, no
 * NOPERM in the hub's log), while the same user is refused commands outside the ACL.
 */
class RedisTlsAclTest {

    private static final String HUB_PASSWORD = "hub-password-0f9e8d7c6b5a";
    private static final String CHAIN_SECRET = "chain-secret-of-the-tls-test-0123456789";
    private static final String ADMIN_PASSWORD = "admin-password-1a2b3c4d5e";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Process redis;
    private TestHub hub;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void stop() {
        root.detachAppender(log);
        if (hub != null) {
            hub.close();
        }
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    @Test
    void theHubRunsItsGroupsOverTlsAsTheDocumentedAclUserAndNeedsNothingElse() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        certificates(tls);
        int port = TestRedis.freePort();
        redis = startRedis(port, tls);
        RedisTls clientTls = new RedisTls(tls.resolve("ca.crt").toString(), tls.resolve("client.crt").toString(),
                tls.resolve("client.key").toString(), true);
        try (Jedis admin = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> connected(port, clientTls, "admin", ADMIN_PASSWORD), j -> j != null)) {

            // the hub, on rediss:// as its ACL user, with its CA and client certificate; unprefixed keys, so the
            // documented line's key families are what lets it in
            log.start();
            root.addAppender(log);
            hub = TestHub.start(settings(port, tls));

            String claimId = submit();
            JsonNode claim = await().atMost(WAIT).until(() -> json(get("/api/claims/" + claimId)),
                    c -> "ADJ-01".equals(c.path("assigneeId").asText()));
            assertThat(claim.path("status").asText()).isEqualToIgnoringCase("assigned");
            // decided and paid: processing times, leaderboards, decision notifications
            push(claimId, "claim.approved", "{\"approvedAmount\":{\"amount\":1500.00,\"currency\":\"EUR\"},"
                    + "\"approvedBy\":\"ADJ-01\"}");
            push(claimId, "claim.payment.initiated", EventJson.toObjectNode(
                    ClaimEventFixtures.paymentInitiation(ClaimEventFixtures.CLAIMED)).toString());
            push(claimId, "claim.payment.completed", EventJson.toObjectNode(
                    ClaimEventFixtures.paymentCompletion(ClaimEventFixtures.PAYMENT_ID)).toString());
            await().atMost(WAIT).until(() -> json(get("/api/analytics/daily/" + LocalDate.now(ZoneOffset.UTC)))
                    .path("counters").path("payments_completed").asLong(), paid -> paid >= 1);
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            await().atMost(WAIT).until(() -> json(get("/api/analytics/daily/" + today))
                    .path("counters").path("submitted").asLong(), submitted -> submitted >= 1);
            Path mail = dir.resolve("outbox/mail");
            await().atMost(WAIT).until(() -> emlFiles(mail), files -> !files.isEmpty());
            assertThat(json(get("/api/claims/" + claimId + "/verify")).path("valid").asBoolean()).isTrue();
            assertThat(get("/api/ops/streams").statusCode()).isEqualTo(200);
            assertThat(get("/api/ops/snapshots/consistency").statusCode()).isEqualTo(200);
            assertThat(get("/api/ops/dead-letters?group=processors").statusCode()).isEqualTo(200);
            assertThat(post("/api/analytics/rebuild", "{}").statusCode()).isEqualTo(202);
            await().atMost(WAIT).until(() -> json(get("/api/analytics/rebuild")).path("state").asText(),
                    state -> state.equals("done"));
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(
                    URI.create(hub.managementBase() + "/observe/metrics")).header("X-API-Key", TestHub.API_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("claimshub_stream");
            await().atMost(WAIT).until(() -> get("/api/claims/" + claimId + "/notifications").body(),
                    body -> body.contains("\"sent\""));

            // Redis refused the hub nothing
            List<Object> refusals = aclLog(admin);
            assertThat(refusals).as("ACL LOG (commands or keys Redis refused the hub)").isEmpty();
            assertThat(noPermLines()).as("ACL refusals (NOPERM) in the hub's log").isEmpty();
            // and its secrets reached no log line
            assertThat(linesContaining(HUB_PASSWORD)).isEmpty();
            assertThat(linesContaining(CHAIN_SECRET)).isEmpty();

            // the hub's user cannot do anything else
            try (Jedis asHub = connected(port, clientTls, "claimshub", HUB_PASSWORD)) {
                assertThatThrownBy(asHub::flushAll).isInstanceOf(JedisDataException.class).hasMessageContaining("NOPERM");
                assertThatThrownBy(() -> asHub.configGet("*")).hasMessageContaining("NOPERM");
                assertThatThrownBy(() -> asHub.keys("*")).hasMessageContaining("NOPERM");
                assertThatThrownBy(() -> asHub.sendCommand(Protocol.Command.MONITOR)).hasMessageContaining("NOPERM");
                assertThatThrownBy(() -> asHub.set("elsewhere:key", "x")).hasMessageContaining("NOPERM");
                assertThat(asHub.xlen("claims:events")).isPositive();
            }
            assertThat(aclLog(admin)).hasSizeGreaterThanOrEqualTo(5);
        }

        // TLS only: a plain connection to the TLS port gets no answer, nor does TLS without a client certificate,
        // nor a server whose certificate is not from the configured CA
        assertThatThrownBy(() -> {
            try (Jedis plain = new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                    .user("claimshub").password(HUB_PASSWORD).timeoutMillis(2000).build())) {
                plain.ping();
            }
        }).isInstanceOf(JedisConnectionException.class);
        RedisTls noClientCertificate = new RedisTls(tls.resolve("ca.crt").toString(), null, null, true);
        assertThatThrownBy(() -> connected(port, noClientCertificate, "claimshub", HUB_PASSWORD).ping())
                .isInstanceOf(JedisConnectionException.class);
        RedisTls otherCa = new RedisTls(tls.resolve("other-ca.crt").toString(), tls.resolve("client.crt").toString(),
                tls.resolve("client.key").toString(), true);
        assertThatThrownBy(() -> connected(port, otherCa, "claimshub", HUB_PASSWORD).ping())
                .isInstanceOf(JedisConnectionException.class);
    }

    @Test
    void hostnameVerificationRefusesACertificateForAnotherHost() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        certificates(tls);
        // a server certificate naming only "redis.example" (no 127.0.0.1)
        sign(tls, "wrong-host", "DNS:redis.example", "serverAuth");
        int port = TestRedis.freePort();
        redis = startRedis(port, tls, "wrong-host");
        RedisTls verifying = new RedisTls(tls.resolve("ca.crt").toString(), tls.resolve("client.crt").toString(),
                tls.resolve("client.key").toString(), true);
        RedisTls notVerifying = new RedisTls(tls.resolve("ca.crt").toString(), tls.resolve("client.crt").toString(),
                tls.resolve("client.key").toString(), false);
        try (Jedis unchecked = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> connected(port, notVerifying, "admin", ADMIN_PASSWORD), j -> j != null)) {
            assertThat(unchecked.ping()).isEqualTo("PONG");
        }
        assertThatThrownBy(() -> connected(port, verifying, "admin", ADMIN_PASSWORD).ping())
                .isInstanceOf(JedisConnectionException.class)
                .rootCause().hasMessageContaining("127.0.0.1");
    }

    private Map<String, String> settings(int port, Path tls) throws IOException {
        ProcessingFiles processing = new ProcessingFiles(dir).writeRoster(List.of(
                ProcessingFiles.adjuster("ADJ-01", "auto", "north", "SENIOR", 100)));
        Path rules = NotificationConfigFiles.copyShipped(dir);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hub.redis.url", "rediss://claimshub:" + HUB_PASSWORD + "@127.0.0.1:" + port + "/0");
        settings.put("hub.redis.tls.ca-file", tls.resolve("ca.crt").toString());
        settings.put("hub.redis.tls.cert-file", tls.resolve("client.crt").toString());
        settings.put("hub.redis.tls.key-file", tls.resolve("client.key").toString());
        settings.put("hub.events.stream", "claims:events");
        for (String namespace : List.of("processing", "analytics", "notifications", "integrations")) {
            settings.put("hub." + namespace + ".namespace", "");
        }
        settings.put("hub.processing.roster-file", processing.roster.toString());
        settings.put("hub.processing.rules-file", processing.rules.toString());
        settings.put("hub.processing.sla-file", processing.sla.toString());
        settings.put("hub.notifications.rules-file", rules.toString());
        settings.put("hub.notifications.templates-dir", dir.resolve("templates").toString());
        settings.put("hub.notifications.routes-dir", dir.resolve("routes").toString());
        settings.put("hub.mail.outbox-dir", dir.resolve("outbox/mail").toString());
        settings.put("hub.sms.outbox-file", dir.resolve("outbox/sms.jsonl").toString());
        settings.put("hub.webhook.outbox-file", dir.resolve("outbox/status-updates.jsonl").toString());
        settings.put("hub.ingest.dir", dir.resolve("inbox").toString());
        settings.put("hub.archive.dir", dir.resolve("archive").toString());
        settings.put("hub.consumer.block", "200");
        settings.put("hub.consumer.background-read-delay", "0");
        settings.put("hub.metrics.refresh-interval", "500");
        settings.put("hub.sla.check-interval", "500");
        settings.put("hub.retention.interval", "1000");
        settings.put("hub.chain.secret", CHAIN_SECRET);
        return settings;
    }

    private String submit() throws Exception {
        HttpResponse<String> response = post("/api/claims", """
                {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
                 "description":"Rear-ended at a traffic light","amountClaimed":{"amount":1500.00,"currency":"EUR"},
                 "claimant":{"name":"Ada Lovelace","email":"ada@example.com","phone":"+447700900123"},
                 "region":"north","priority":"normal"}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).get("claimId").asText();
    }

    private void push(String claimId, String eventType, String data) throws Exception {
        HttpResponse<String> response = post("/api/claims/" + claimId + "/events",
                "{\"eventType\":\"" + eventType + "\",\"data\":" + data + "}");
        assertThat(response.statusCode()).as(eventType + ": " + response.body()).isEqualTo(202);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).timeout(Duration.ofSeconds(20))
                .header("X-API-Key", TestHub.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path)).timeout(Duration.ofSeconds(20))
                .header("X-API-Key", TestHub.API_KEY).header("X-Operator", "tls-test")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return EventJson.parse(response.body(), "response");
    }

    private static List<Path> emlFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".eml")).toList();
        }
    }

    private static List<Object> aclLog(Jedis admin) {
        return new ArrayList<>((List<?>) admin.sendCommand(Protocol.Command.ACL, "LOG"));
    }

    // an ACL refusal: NOPERM for a command sent as it is, "ERR The user executing the script can't ..." inside a script
    private List<String> noPermLines() {
        List<String> lines = new ArrayList<>(linesContaining("NOPERM"));
        lines.addAll(linesContaining("user executing the script can't"));
        return lines;
    }

    private List<String> linesContaining(String needle) {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(log.list)) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            if (text.contains(needle)) {
                lines.add(text);
            }
        }
        return lines;
    }

    private static Jedis connected(int port, RedisTls tls, String user, String password) {
        Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().ssl(true)
                .sslSocketFactory(tls.socketFactory()).sslParameters(tls.parameters()).user(user).password(password)
                .timeoutMillis(5000).build());
        try {
            jedis.ping();
            return jedis;
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
    }

    /** The ACL line of docs/redis-security.md, as a users-file line with the test's password. */
    private static String documentedAclUser() throws IOException {
        String line = Files.readAllLines(Path.of("docs/redis-security.md")).stream()
                .filter(l -> l.startsWith("ACL SETUSER claimshub ")).findFirst()
                .orElseThrow(() -> new AssertionError("no ACL SETUSER claimshub line in docs/redis-security.md"));
        assertThat(line).contains(">PASSWORD ");
        return "user " + line.substring("ACL SETUSER ".length()).replace(">PASSWORD ", ">" + HUB_PASSWORD + " ");
    }

    private Process startRedis(int port, Path tls) throws IOException {
        return startRedis(port, tls, "server");
    }

    private Process startRedis(int port, Path tls, String serverCertificate) throws IOException {
        Path data = Files.createDirectories(dir.resolve("redis"));
        Path users = dir.resolve("users.acl");
        Files.writeString(users, String.join("\n",
                "user default off",
                "user admin on >" + ADMIN_PASSWORD + " ~* &* +@all",
                documentedAclUser()) + "\n");
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, String.join("\n",
                "bind 127.0.0.1",
                "port 0",
                "tls-port " + port,
                "tls-cert-file " + tls.resolve(serverCertificate + ".crt"),
                "tls-key-file " + tls.resolve(serverCertificate + ".key"),
                "tls-ca-cert-file " + tls.resolve("ca.crt"),
                "tls-auth-clients yes",
                "aclfile " + users,
                "dir " + data,
                "save \"\"",
                "appendonly no") + "\n");
        return new ProcessBuilder("redis-server", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
    }

    /** A CA, a server certificate for 127.0.0.1 and localhost, a client certificate, and an unrelated CA. */
    private static void certificates(Path tls) throws Exception {
        for (String ca : List.of("ca", "other-ca")) {
            openssl(tls, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", ca + ".key", "-out", ca + ".crt", "-days", "2", "-subj", "/CN=Claims Hub test " + ca);
        }
        sign(tls, "server", "IP:127.0.0.1,DNS:localhost", "serverAuth");
        sign(tls, "client", "DNS:claims-hub", "clientAuth");
    }

    private static void sign(Path tls, String name, String altNames, String usage) throws Exception {
        Files.writeString(tls.resolve(name + ".ext"), "subjectAltName=" + altNames + "\nextendedKeyUsage=" + usage + "\n");
        openssl(tls, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl(tls, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", command, output).isZero();
    }
}
