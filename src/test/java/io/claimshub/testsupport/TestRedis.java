package io.claimshub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import io.claimshub.config.RedisConnectionFactories;
import io.claimshub.config.RedisConnectionSettings;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.embedded.RedisServer;

/**
 * The real Redis the tests run against: the server named by the {@code REDIS_URL} environment variable, else one
 * embedded Redis 6.2 started once for the whole test JVM on a free port. Tests use unique keys ({@link #uniqueKey}),
 * so they can share it, and a server that is also used by others.
 */
public final class TestRedis {

    /** Started on first use only, so tests that bring their own Redis (freePort, connectionFactory(url)) start none. */
    private static final class Shared {
        static final String URL;
        static final JedisConnectionFactory FACTORY;
        static final StringRedisTemplate TEMPLATE;

        static {
            String external = System.getenv("REDIS_URL");
            if (external != null && !external.isBlank()) {
                URL = external;
            } else {
                URL = startEmbedded();
            }
            FACTORY = connectionFactory(URL);
            TEMPLATE = new StringRedisTemplate(FACTORY);
            TEMPLATE.afterPropertiesSet();
        }
    }

    private TestRedis() {
    }

    public static String url() {
        return Shared.URL;
    }

    public static JedisConnectionFactory connectionFactory() {
        return Shared.FACTORY;
    }

    public static StringRedisTemplate template() {
        return Shared.TEMPLATE;
    }

    /** A key no other test uses: {@code test:<prefix>:<uuid>}. */
    public static String uniqueKey(String prefix) {
        return "test:" + prefix + ":" + UUID.randomUUID();
    }

    public static JedisConnectionFactory connectionFactory(String url) {
        return RedisConnectionFactories.jedis(RedisConnectionSettings.parse(url, null, null, Duration.ofSeconds(10), 32));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A private embedded Redis with AOF on every write, for tests that stop and restart the server. */
    public static RedisServer newPrivateServer(int port, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        return RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("dir " + dataDir.toAbsolutePath())
                .setting("appendonly yes")
                .setting("appendfsync always")
                .onShutdownForceStop(true)
                .build();
    }

    private static String startEmbedded() {
        try {
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            return "redis://127.0.0.1:" + port;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded test Redis", e);
        }
    }
}
