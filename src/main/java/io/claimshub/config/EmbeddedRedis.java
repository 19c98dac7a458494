package io.claimshub.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server (6.2, the binary packaged in the embedded-redis artifact) that the hub runs itself when no
 * Redis URL is set, with AOF persistence in a data directory so its data survives a restart. The hub starts and
 * stops the process itself: the library's own runner kills the server from a JVM shutdown hook, at the same time
 * as Camel's graceful shutdown still acknowledges the last entries; here it is stopped after the routes. A server
 * outlives a hub killed with {@code kill -9} (nothing runs then); the next start adopts it if it is this hub's own
 * and no hub holds the data directory's lock.
 */
public final class EmbeddedRedis extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final Logger SERVER_LOG = LoggerFactory.getLogger("io.claimshub.redis-server");
    private static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 20;
    private static final int CHECK_TIMEOUT_MILLIS = 5000;
    private static final String LOCK_FILE = "hub.lock";

    private final int port;
    private final Path dataDir;
    private final String appendFsync;
    private Process process;
    /** Held while this hub owns the data directory (and the server writing into it). */
    private FileLock dataDirLock;
    /** A server of a previous run of this hub (killed before it could stop it), taken over at start. */
    private boolean adopted;

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
        Files.createDirectories(dataDir);
        lockDataDirectory();
        try {
            startOrAdopt();
        } catch (Exception | Error e) {
            releaseDataDirectory();
            throw e;
        }
    }

    /**
     * Holds the data directory for this hub's lifetime: a second hub on it would adopt the first one's server and
     * stop it under it. The OS releases the lock with the process, so the server of a killed hub stays adoptable.
     */
    private void lockDataDirectory() throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("Another hub is running on this data directory (" + dataDir + " is locked "
                                            + "by " + dataDir.resolve(LOCK_FILE) + "). Stop it, or set "
                                            + "hub.redis.embedded.dir to a directory of its own");
        }
        dataDirLock = lock;
    }

    private void releaseDataDirectory() throws IOException {
        if (dataDirLock != null) {
            dataDirLock.channel().close();
            dataDirLock = null;
        }
    }

    private void startOrAdopt() throws Exception {
        if (answers()) {
            // most likely left running by a hub that was killed: adopted only if it is ours, and stopped with the hub
            adoptOrRefuse();
            return;
        }
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

    /**
     * Takes over the Redis server that already answers on the port when it is the one this hub would have started
     * (same data directory, AOF on with the same fsync policy); any other server is refused, so claims are never
     * written into a foreign server's keeping.
     */
    private void adoptOrRefuse() throws IOException {
        Map<String, String> running = new HashMap<>();
        try (Jedis redis = new Jedis(HOST, port, CHECK_TIMEOUT_MILLIS)) {
            // one setting per CONFIG GET: Redis 6.2 takes no more
            for (String setting : List.of("dir", "appendonly", "appendfsync", "save")) {
                running.putAll(redis.configGet(setting));
            }
        } catch (JedisException e) {
            throw new IllegalStateException("A server already answers on " + HOST + ":" + port + " and is not a Redis "
                                            + "server this hub can check (" + e.getMessage() + "). Stop it, or set "
                                            + "hub.redis.embedded.port to a free port", e);
        }
        List<String> differences = new ArrayList<>();
        if (!sameDirectory(running.get("dir"))) {
            differences.add("dir is " + running.get("dir") + " (expected " + dataDir + ")");
        }
        expect(differences, running, "appendonly", "yes");
        expect(differences, running, "appendfsync", appendFsync);
        expect(differences, running, "save", "");
        if (!differences.isEmpty()) {
            throw new IllegalStateException("A Redis server already answers on " + HOST + ":" + port + " and it is not "
                                            + "this hub's embedded Redis: " + String.join(", ", differences)
                                            + ". Stop it (redis-cli -p " + port + " shutdown), set hub.redis.embedded.port "
                                            + "to a free port, or set hub.redis.url to use that server on purpose");
        }
        adopted = true;
        LOG.warn("The embedded Redis of a previous run still answers on {}:{} with data in {}; using it, and stopping "
                 + "it with the hub", HOST, port, dataDir);
    }

    private boolean sameDirectory(String dir) throws IOException {
        if (dir == null) {
            return false;
        }
        Path theirs = Path.of(dir);
        return Files.exists(theirs) ? Files.isSameFile(theirs, dataDir) : theirs.equals(dataDir);
    }

    private static void expect(List<String> differences, Map<String, String> running, String setting, String expected) {
        String actual = running.getOrDefault(setting, "(unset)");
        if (!expected.equalsIgnoreCase(actual)) {
            differences.add(setting + " is " + (actual.isEmpty() ? "\"\"" : actual)
                            + " (expected " + (expected.isEmpty() ? "\"\"" : expected) + ")");
        }
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
        } else if (adopted) {
            stopAdopted();
            adopted = false;
        }
        releaseDataDirectory();
    }

    /** SHUTDOWN flushes and fsyncs the AOF before the server exits (no RDB: save is off); then waits until it has. */
    private void stopAdopted() throws InterruptedException {
        try (Jedis redis = new Jedis(HOST, port, CHECK_TIMEOUT_MILLIS)) {
            redis.shutdown();
        } catch (JedisException e) {
            LOG.debug("Connection closed by SHUTDOWN of the adopted Redis on port {}: {}", port, e.getMessage());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
        while (answers()) {
            if (System.nanoTime() > deadline) {
                LOG.warn("The adopted Redis on {}:{} still answers {} s after SHUTDOWN", HOST, port, STOP_TIMEOUT_SECONDS);
                return;
            }
            Thread.sleep(50);
        }
        LOG.info("Stopped the adopted embedded Redis on {}:{}", HOST, port);
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
