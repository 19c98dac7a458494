package io.claimshub.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis server (6.2, from the embedded-redis artifact) that the hub runs itself when no Redis URL is set,
 * with AOF persistence in a data directory so its data survives a restart.
 */
public final class EmbeddedRedis extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String HOST = "127.0.0.1";

    private final int port;
    private final Path dataDir;
    private final String appendFsync;
    private RedisServer server;

    public EmbeddedRedis(int port, Path dataDir, String appendFsync) {
        this.port = port;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.appendFsync = appendFsync;
    }

    public String url() {
        return "redis://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    protected void doStart() throws Exception {
        if (answers()) {
            // most likely left running by a hub that was killed: its data is ours, so use it rather than fail
            LOG.warn("A Redis server already answers on {}:{}; using it instead of starting the embedded one", HOST, port);
            return;
        }
        Files.createDirectories(dataDir);
        server = RedisServer.newRedisServer()
                .bind(HOST)
                .port(port)
                .setting("dir " + dataDir)
                .setting("appendonly yes")
                .setting("appendfsync " + appendFsync)
                .onShutdownForceStop(true)
                .build();
        server.start();
        LOG.info("Started embedded Redis on {}:{} with data in {} (appendfsync {})", HOST, port, dataDir, appendFsync);
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
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
