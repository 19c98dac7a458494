package io.claimshub.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The hub in a JVM of its own (the test's classpath, {@code io.claimshub.HubApplication}), set up through environment
 * variables as an operator would, so that a test can kill it for real ({@link #kill()}: SIGKILL, no shutdown hook, no
 * graceful stop) between two steps of its work. Its output goes to a log file the test can print.
 */
public final class ForkedHub implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int serverPort;
    private final int managementPort;

    private ForkedHub(Map<String, String> settings, Path workDir) throws IOException {
        serverPort = TestRedis.freePort();
        managementPort = TestRedis.freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("camel.server.port", Integer.toString(serverPort));
        all.put("camel.management.port", Integer.toString(managementPort));
        all.put("camel.main.java-routes-exclude-pattern", "**/*Test*");
        all.put("hub.processing.namespace", TestRedis.uniqueKey("hub"));
        all.put("hub.analytics.namespace", TestRedis.uniqueKey("hub"));
        all.put("hub.compliance.check-interval", "3600000");
        all.put("hub.api.bootstrap-key", TestHub.API_KEY);
        all.put("hub.payment.mode", "off");
        all.put("hub.security.master-key", TestHub.MASTER_KEY);
        all.put("hub.policy.enabled", "false");
        all.put("hub.redis.url", TestRedis.url());
        all.putAll(settings);
        Files.createDirectories(workDir);
        log = workDir.resolve("hub.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.claimshub.HubApplication").directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        all.forEach((setting, value) -> builder.environment().put(variable(setting), value));
        process = builder.start();
    }

    /** Starts the hub and waits until its health check answers UP. */
    public static ForkedHub start(Map<String, String> settings, Path workDir) throws IOException {
        ForkedHub hub = new ForkedHub(settings, workDir);
        try {
            await("the forked hub healthy").atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                    .until(hub::healthy);
        } catch (RuntimeException notHealthy) {
            hub.printLog();
            hub.kill();
            throw notHealthy;
        }
        return hub;
    }

    /** {@code hub.events.stream} → {@code HUB_EVENTS_STREAM}, as the README's settings table says. */
    static String variable(String setting) {
        return setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String apiBase() {
        return "http://127.0.0.1:" + serverPort;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the JVM ends at once, in the middle of whatever it is doing. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the forked hub did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public void printLog() {
        try {
            System.out.println("---- forked hub log (" + log + ") ----");
            System.out.println(Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.out.println("no log: " + e);
        }
    }

    private boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the forked hub exited with " + process.exitValue());
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/observe/health")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
