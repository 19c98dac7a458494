package io.claimshub.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/** One call of a store script, built before it is sent, so that many can go to Redis in one pipeline. */
record ScriptCall(RedisScript<?> script, List<String> keys, List<String> args) {

    /** A call as it is sent: its keys, then its arguments, as bytes (a bulk caller builds them so, once). */
    record Encoded(RedisScript<?> script, int keyCount, byte[][] keysAndArgs) {

        private void send(RedisConnection connection) {
            connection.scriptingCommands().evalSha(script.getSha1(), ReturnType.fromJavaType(script.getResultType()),
                    keyCount, keysAndArgs);
        }
    }

    /** The call as it is sent. */
    Encoded encoded() {
        byte[][] keysAndArgs = new byte[keys.size() + args.size()][];
        int i = 0;
        for (String key : keys) {
            keysAndArgs[i++] = bytes(key);
        }
        for (String arg : args) {
            keysAndArgs[i++] = bytes(arg);
        }
        return new Encoded(script, keys.size(), keysAndArgs);
    }

    /** Sends the calls in one pipeline, in order, and answers their replies (strings, or lists of them), in order. */
    static List<Object> pipelined(StringRedisTemplate redis, List<ScriptCall> calls) {
        return pipelined(redis, send -> calls.forEach(send));
    }

    /**
     * Sends in one pipeline, in order, the calls {@code writer} hands to the consumer it is given, while it runs, and
     * answers their replies in order.
     */
    static List<Object> pipelined(StringRedisTemplate redis, Consumer<Consumer<ScriptCall>> writer) {
        return pipelinedEncoded(redis, send -> writer.accept(call -> send.accept(call.encoded())));
    }

    /**
     * {@link #pipelined}, of calls encoded by their caller. Each script is loaded in the pipeline before its first
     * call: Redis runs the commands in order, so no call meets NOSCRIPT.
     */
    static List<Object> pipelinedEncoded(StringRedisTemplate redis, Consumer<Consumer<Encoded>> writer) {
        List<Boolean> isCall = new ArrayList<>();
        List<Object> replies = redis.executePipelined((RedisCallback<Object>) connection -> {
            Set<String> loaded = new HashSet<>();
            writer.accept(call -> {
                if (loaded.add(call.script().getSha1())) {
                    connection.scriptingCommands().scriptLoad(bytes(call.script().getScriptAsString()));
                    isCall.add(false);
                }
                call.send(connection);
                isCall.add(true);
            });
            return null;
        });
        List<Object> answers = new ArrayList<>(replies.size());
        for (int i = 0; i < replies.size(); i++) {
            if (isCall.get(i)) {
                answers.add(replies.get(i));
            }
        }
        return answers;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
