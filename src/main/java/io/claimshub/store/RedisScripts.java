package io.claimshub.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The store's Lua scripts, read once from {@code classpath:redis/}. spring-data-redis runs a {@link RedisScript}
 * with EVALSHA and falls back to EVAL (which caches it in Redis) only when the server answers NOSCRIPT. Public for
 * the processors' own scripts.
 */
public final class RedisScripts {

    private RedisScripts() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static RedisScript<List<String>> list(String resource) {
        return (RedisScript<List<String>>) (RedisScript) new DefaultRedisScript<>(source(resource), List.class);
    }

    /** A script answering a list whose elements may be lists themselves (strings, numbers or nil inside). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static RedisScript<List<Object>> replies(String resource) {
        return (RedisScript<List<Object>>) (RedisScript) new DefaultRedisScript<>(source(resource), List.class);
    }

    public static RedisScript<String> text(String resource) {
        return new DefaultRedisScript<>(source(resource), String.class);
    }

    public static RedisScript<Long> number(String resource) {
        return new DefaultRedisScript<>(source(resource), Long.class);
    }


    private static String source(String resource) {
        try (InputStream in = RedisScripts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script on the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lua script " + resource, e);
        }
    }
}
