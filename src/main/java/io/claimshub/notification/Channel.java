package io.claimshub.notification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The ways a notification leaves the hub; each has its own outbox stream, sender route and dead letters. */
public enum Channel {
    EMAIL,
    SMS,
    /** a status update POSTed to the claims portal */
    WEBHOOK;

    /** The name used in notifications.yaml, template file names, stream keys and the API: email, sms, webhook. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Channel> fromWire(String name) {
        return Arrays.stream(values()).filter(c -> c.wireName().equals(name)).findFirst();
    }

    /** Whether its messages are rendered from a template (a status update is the claim's status as JSON). */
    public boolean templated() {
        return this != WEBHOOK;
    }
}
