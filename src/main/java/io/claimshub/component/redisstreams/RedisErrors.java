package io.claimshub.component.redisstreams;

/**
 * Recognises the Redis error replies the consumer reacts to, whatever exception the client wraps them in.
 */
final class RedisErrors {

    private RedisErrors() {
    }

    /**
     * The stream or the group does not exist (deleted under the consumer); Redis 7 answers a read blocked on a stream
     * that is deleted with UNBLOCKED.
     */
    static boolean isNoGroup(Throwable e) {
        return messageContains(e, "NOGROUP") || messageContains(e, "UNBLOCKED");
    }

    static boolean isBusyGroup(Throwable e) {
        return messageContains(e, "BUSYGROUP");
    }

    private static boolean messageContains(Throwable e, String code) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(code)) {
                return true;
            }
        }
        return false;
    }
}
