package io.claimshub.component.redisstreams;

/**
 * The keys the component derives from a stream key; each pattern is built here and only here (the hub reads the
 * dead-letter stream name from here too).
 */
public final class RedisStreamsKeys {

    private RedisStreamsKeys() {
    }

    public static String defaultDeadLetterStream(String streamKey) {
        return streamKey + ":dlq";
    }

    /** Hash of entry id to the last processing error, kept until the entry is acknowledged or dead-lettered. */
    static String lastErrors(String streamKey, String group) {
        return streamKey + ":errors:" + group;
    }
}
