package io.claimshub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/** The hub's embedded Redis: it takes over only a server of its own left running, and stops that one too. */
class EmbeddedRedisTest {

    @TempDir
    Path dir;

    @Test
    void aForeignRedisOnTheEmbeddedPortStopsTheHubFromStartingAndSaysWhatDiffers() throws Exception {
        // given a Redis of someone else's on the embedded port: another directory, no AOF
        int port = TestRedis.freePort();
        Path foreignDir = dir.resolve("foreign");
        RedisServer foreign = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("dir " + foreignDir.toAbsolutePath()).setting("appendonly no").build();
        Files.createDirectories(foreignDir);
        foreign.start();
        try {
            // when the hub starts its embedded Redis on that port
            // expect the start refused, naming the port and each difference, and the foreign server left alone
            assertThatThrownBy(() -> TestHub.start(Map.of(
                    "hub.redis.url", "",
                    "hub.redis.embedded.port", Integer.toString(port),
                    "hub.redis.embedded.dir", dir.resolve("hub").toString(),
                    "hub.ingest.enabled", "false")))
                    .rootCause()
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("not this hub's embedded Redis")
                    .hasMessageContaining("dir is " + foreignDir.toRealPath())
                    .hasMessageContaining("appendonly is no (expected yes)");
            assertThat(answers(port)).isTrue();
        } finally {
            foreign.stop();
        }
    }

    @Test
    void anOwnServerWithAnotherFsyncPolicyIsRefused() throws Exception {
        int port = TestRedis.freePort();
        RedisServer earlier = orphanOfAKilledRun(port, "always");
        earlier.start();
        try {
            assertThatThrownBy(() -> new EmbeddedRedis(port, dir, "everysec").start())
                    .hasMessageContaining("appendfsync is always (expected everysec)");
        } finally {
            earlier.stop();
        }
    }

    @Test
    void aSecondHubOnTheSameDataDirectoryIsRefusedAndTheFirstKeepsItsServer() throws Exception {
        // given a hub running its embedded Redis
        int port = TestRedis.freePort();
        EmbeddedRedis running = new EmbeddedRedis(port, dir, "everysec");
        running.start();
        try {
            // when a second hub starts on the same port and directory, or on the same directory and another port
            // expect both refused, and the first hub's server still serving
            assertThatThrownBy(() -> new EmbeddedRedis(port, dir, "everysec").start())
                    .hasMessageContaining("Another hub is running on this data directory");
            assertThatThrownBy(() -> new EmbeddedRedis(TestRedis.freePort(), dir, "everysec").start())
                    .hasMessageContaining("Another hub is running on this data directory");
            try (Jedis redis = new Jedis("127.0.0.1", port)) {
                assertThat(redis.ping()).isEqualTo("PONG");
            }
        } finally {
            running.stop();
        }

        // and once the first has stopped, the directory is free for the next one
        EmbeddedRedis next = new EmbeddedRedis(port, dir, "everysec");
        next.start();
        next.stop();
    }

    @Test
    void theServerOfAKilledRunIsAdoptedKeepsItsDataAndIsStoppedWithTheHub() throws Exception {
        // given the embedded Redis of a run that ended without stopping it (as after kill -9), holding a claim
        int port = TestRedis.freePort();
        RedisServer orphan = orphanOfAKilledRun(port, "everysec");
        orphan.start();
        try {
            try (Jedis redis = new Jedis("127.0.0.1", port)) {
                redis.set("claim:{CLM-ORPHAN01}", "kept");
            }

            // when the next run starts on the same port and directory
            EmbeddedRedis next = new EmbeddedRedis(port, dir, "everysec");
            next.start();

            // expect the server adopted with its data, and stopped when the run stops cleanly
            try (Jedis redis = new Jedis("127.0.0.1", port)) {
                assertThat(redis.get("claim:{CLM-ORPHAN01}")).isEqualTo("kept");
            }
            next.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> !answers(port));

            // and its AOF flushed: a fresh start on the directory has the data
            EmbeddedRedis restarted = new EmbeddedRedis(port, dir, "everysec");
            restarted.start();
            try (Jedis redis = new Jedis("127.0.0.1", port)) {
                assertThat(redis.get("claim:{CLM-ORPHAN01}")).isEqualTo("kept");
            } finally {
                restarted.stop();
            }
        } finally {
            orphan.stop();
        }
    }

    /**
     * The server a hub killed with kill -9 leaves behind: started as the hub starts it, in the same directory, but
     * with no hub holding the directory's lock any more (the OS released it with the process).
     */
    private RedisServer orphanOfAKilledRun(int port, String appendFsync) throws IOException {
        return RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("dir " + dir.toAbsolutePath()).setting("appendonly yes")
                .setting("appendfsync " + appendFsync).setting("save \"\"").build();
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
