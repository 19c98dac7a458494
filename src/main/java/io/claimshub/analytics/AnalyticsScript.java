package io.claimshub.analytics;

import io.claimshub.store.RedisScripts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script the analytics send with arguments they encode themselves (no template, no serializer per argument):
 * EVALSHA, and EVAL (which caches it in Redis) when the server answers NOSCRIPT.
 */
final class AnalyticsScript {

    private final byte[] sha;
    private final byte[] source;

    AnalyticsScript(String resource) {
        RedisScript<List<Object>> script = RedisScripts.replies(resource);
        this.sha = script.getSha1().getBytes(StandardCharsets.US_ASCII);
        this.source = script.getScriptAsString().getBytes(StandardCharsets.UTF_8);
    }

    /** Runs the script: {@code numKeys} keys, then the arguments; its reply, a list (strings as bytes). */
    @SuppressWarnings("unchecked")
    List<Object> run(RedisConnection connection, int numKeys, byte[][] keysAndArgs) {
        try {
            return (List<Object>) connection.scriptingCommands().evalSha(sha, ReturnType.MULTI, numKeys, keysAndArgs);
        } catch (RuntimeException e) {
            if (!noScript(e)) {
                throw e;
            }
            return (List<Object>) connection.scriptingCommands().eval(source, ReturnType.MULTI, numKeys, keysAndArgs);
        }
    }

    private static boolean noScript(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }
}
