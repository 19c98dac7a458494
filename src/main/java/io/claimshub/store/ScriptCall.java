package io.claimshub.store;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/** One call of a store script, built before it is sent, so that many can go to Redis in one pipeline. */
record ScriptCall(RedisScript<?> script, List<String> keys, List<String> args) {

    /**
     * Sends the calls in one pipeline, in order, and answers their replies (strings, or lists of them), in order.
     * Each script is loaded at the head of the pipeline: Redis runs the commands in order, so no call meets NOSCRIPT.
     */
    static List<Object> pipelined(StringRedisTemplate redis, List<ScriptCall> calls) {
        Map<String, RedisScript<?>> scripts = new LinkedHashMap<>();
        calls.forEach(call -> scripts.putIfAbsent(call.script().getSha1(), call.script()));
        List<Object> replies = redis.executePipelined((RedisCallback<Object>) connection -> {
            scripts.values().forEach(script -> connection.scriptingCommands().scriptLoad(bytes(script.getScriptAsString())));
            calls.forEach(call -> call.send(connection));
            return null;
        });
        return replies.subList(scripts.size(), replies.size());
    }

    private void send(RedisConnection connection) {
        byte[][] keysAndArgs = new byte[keys.size() + args.size()][];
        int i = 0;
        for (String key : keys) {
            keysAndArgs[i++] = bytes(key);
        }
        for (String arg : args) {
            keysAndArgs[i++] = bytes(arg);
        }
        connection.scriptingCommands().evalSha(script.getSha1(), returnType(), keys.size(), keysAndArgs);
    }

    private ReturnType returnType() {
        return ReturnType.fromJavaType(script.getResultType());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
