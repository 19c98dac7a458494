package io.claimshub.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server (6.2, the binary packaged in the embedded-redis artifact) that the hub runs itself when no
 * Redis URL is set, with AOF persistence in a data directory so its data survives a restart. The hub starts and
 * stops the process itself: the library's own runner kills the server from a JVM shutdown hook, at the same time
 * as Camel's graceful shutdown still acknowledges the last entries; here it is stopped after the routes.
 */
public final class EmbeddedRedis extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final Logger SERVER_LOG = LoggerFactory.getLogger("io.claimshub.redis-server");
    private static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 20;

    private final int port;
    private final Path dataDir;
    private final String appendFsync;
    private Process process;

    public EmbeddedRedis(int port, Path dataDir, String appendFsync) {
        this.port = port;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.appendFsync = appendFsync;
    }

    public String url() {
        return "redis://" + HOST + ":" + port;
    }

    @Override
    protected void doStart() throws Exception {
        if (answers()) {
            // most likely left running by a hub that was killed: its data is ours, so use it rather than fail
            LOG.warn("A Redis server already answers on {}:{}; using it instead of starting the embedded one", HOST, port);
            return;
        }
        Files.createDirectories(dataDir);
        String binary = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
        process = new ProcessBuilder(List.of(binary,
                "--bind", HOST, "--port", Integer.toString(port), "--dir", dataDir.toString(),
                // the append-only file is the durability; RDB snapshots on top would only fork the server again
                "--appendonly", "yes", "--appendfsync", appendFsync, "--save", "", "--daemonize", "no"))
                .redirectErrorStream(true)
                .start();
        awaitReady();
        LOG.info("Started embedded Redis on {}:{} with data in {} (appendfsync {})", HOST, port, dataDir, appendFsync);
    }

    /** Reads the server's log until it accepts connections; afterwards the same thread keeps logging it. */
    private void awaitReady() throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    SERVER_LOG.debug(line);
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                SERVER_LOG.debug("Embedded Redis output closed: {}", e.getMessage());
            }
            ready.completeExceptionally(new IllegalStateException("Embedded Redis on port " + port
                                                                  + " exited with " + exitValue() + " before it was ready"));
        }, "embedded-redis-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("Embedded Redis on port " + port + " did not start within "
                                            + START_TIMEOUT_SECONDS + " s", e);
        }
    }

    private String exitValue() {
        return process.isAlive() ? "nothing (still running)" : Integer.toString(process.exitValue());
    }

    @Override
    protected void doStop() throws Exception {
        if (process != null) {
            // SIGTERM: Redis flushes the AOF and exits cleanly
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Embedded Redis on port {} did not stop within {} s; killing it", port, STOP_TIMEOUT_SECONDS);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
            LOG.info("Stopped embedded Redis on {}:{}", HOST, port);
        }
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
