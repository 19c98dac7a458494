package io.claimshub.component.redisstreams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.claimshub.testsupport.TestRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.embedded.RedisServer;

/**
 * Redis-side helpers for the component tests: entries added and inspected with plain commands, as another
 * program would.
 */
final class StreamFixture {

    private final RedisConnectionFactory factory;
    private final StringRedisTemplate redis;

    StreamFixture(RedisConnectionFactory factory) {
        this.factory = factory;
        this.redis = new StringRedisTemplate(factory);
        this.redis.afterPropertiesSet();
    }

    static StreamFixture onTestRedis() {
        return new StreamFixture(TestRedis.connectionFactory());
    }

    static CamelContext context(RedisConnectionFactory factory, RoutesBuilder routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        // health checks are on in the hub (Camel Main); a bare context needs its registry added
        DefaultHealthCheckRegistry health = new DefaultHealthCheckRegistry();
        health.setCamelContext(context);
        context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, health);
        health.register(health.resolveById("consumers"));
        context.getRegistry().bind("redisConnectionFactory", factory);
        context.addRoutes(routes);
        return context;
    }

    /** After a test: stops its contexts, then deletes the stream, its dead-letter stream and the group's last errors. */
    void cleanUp(List<CamelContext> contexts, String key, String group) throws Exception {
        for (CamelContext context : contexts) {
            context.stop();
        }
        contexts.clear();
        delete(key);
        delete(key + ":dlq");
        delete(RedisStreamsKeys.lastErrors(key, group));
    }

    /** A Redis server of the test's own (AOF on every write) on a free port, started, with a factory and fixture for it. */
    record PrivateRedis(RedisServer server, JedisConnectionFactory factory, StreamFixture fixture) {

        static PrivateRedis start(Path dataDir) throws IOException {
            int port = TestRedis.freePort();
            RedisServer server = TestRedis.newPrivateServer(port, dataDir);
            server.start();
            JedisConnectionFactory factory = TestRedis.connectionFactory("redis://127.0.0.1:" + port);
            return new PrivateRedis(server, factory, new StreamFixture(factory));
        }

        /** Once the contexts that use it are stopped. */
        void stop() throws IOException {
            factory.destroy();
            server.stop();
        }
    }

    /** Adds entries {@code n=0..count-1} (plus {@code extra}) with a pipeline; returns their ids in order. */
    List<String> add(String key, int count, Map<String, String> extra) {
        List<String> ids = new ArrayList<>(count);
        int batch = 1000;
        for (int from = 0; from < count; from += batch) {
            int start = from;
            int end = Math.min(count, from + batch);
            List<Object> replies = redis.executePipelined((org.springframework.data.redis.core.RedisCallback<Object>) c -> {
                for (int n = start; n < end; n++) {
                    java.util.Map<byte[], byte[]> fields = new java.util.LinkedHashMap<>();
                    fields.put(bytes("n"), bytes(Integer.toString(n)));
                    extra.forEach((k, v) -> fields.put(bytes(k), bytes(v)));
                    c.streamCommands().xAdd(bytes(key), fields);
                }
                return null;
            });
            replies.forEach(r -> ids.add(r.toString()));
        }
        return ids;
    }

    String add(String key, Map<String, String> fields) {
        return redis.opsForStream().add(key, fields).getValue();
    }

    void createGroup(String key, String group) {
        execute("XGROUP", "CREATE", key, group, "0", "MKSTREAM");
    }

    /** {@code XREADGROUP ... >} as another group consumer, without acknowledging: what a consumer that crashes leaves. */
    List<String> readWithoutAck(String key, String group, String consumer, int count) {
        Object reply = execute("XREADGROUP", "GROUP", group, consumer, "COUNT", Integer.toString(count), "STREAMS", key, ">");
        List<String> ids = new ArrayList<>();
        if (reply instanceof List<?> streams && !streams.isEmpty()) {
            for (Object e : (List<?>) ((List<?>) streams.get(0)).get(1)) {
                ids.add(new String((byte[]) ((List<?>) e).get(0), StandardCharsets.UTF_8));
            }
        }
        return ids;
    }

    long pendingCount(String key, String group) {
        List<?> summary = (List<?>) execute("XPENDING", key, group);
        return (Long) summary.get(0);
    }

    /** Ids pending in the group (any consumer). */
    List<String> pendingIds(String key, String group) {
        List<?> rows = (List<?>) execute("XPENDING", key, group, "-", "+", "100000");
        List<String> ids = new ArrayList<>();
        for (Object row : rows) {
            ids.add(new String((byte[]) ((List<?>) row).get(0), StandardCharsets.UTF_8));
        }
        return ids;
    }

    long length(String key) {
        Long len = redis.opsForStream().size(key);
        return len == null ? 0 : len;
    }

    List<Map<String, String>> entries(String key) {
        List<Map<String, String>> result = new ArrayList<>();
        redis.opsForStream().range(key, org.springframework.data.domain.Range.unbounded())
                .forEach(r -> {
                    Map<String, String> fields = new java.util.LinkedHashMap<>();
                    r.getValue().forEach((k, v) -> fields.put(String.valueOf(k), String.valueOf(v)));
                    result.add(fields);
                });
        return result;
    }

    List<String> consumerNames(String key, String group) {
        List<String> names = new ArrayList<>();
        redis.opsForStream().consumers(key, group).forEach(c -> names.add(c.consumerName()));
        return names;
    }

    void delete(String key) {
        redis.delete(key);
    }

    Object execute(String command, String... args) {
        try (RedisConnection c = factory.getConnection()) {
            byte[][] raw = new byte[args.length][];
            for (int i = 0; i < args.length; i++) {
                raw[i] = bytes(args[i]);
            }
            return c.execute(command, raw);
        }
    }

    StringRedisTemplate template() {
        return redis;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
