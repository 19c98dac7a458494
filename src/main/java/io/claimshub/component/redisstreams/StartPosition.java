package io.claimshub.component.redisstreams;

/**
 * Where a consumer group that does not exist yet starts reading.
 */
public enum StartPosition {
    /** Every entry already in the stream, then new ones ({@code XGROUP CREATE ... 0}). */
    beginning("0"),
    /** Only entries added after the group is created ({@code XGROUP CREATE ... $}). */
    latest("$");

    private final String id;

    StartPosition(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }
}
