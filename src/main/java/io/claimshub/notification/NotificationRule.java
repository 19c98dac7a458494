package io.claimshub.notification;

import java.util.List;
import java.util.Set;

/** One rule of notifications.yaml: on these event types, when the condition holds, send these messages. */
public record NotificationRule(String name, Set<String> eventTypes, RuleCondition when, List<Delivery> send, int line) {

    /** One message a rule sends: over a channel, to a recipient, from a template (none for status updates). */
    public record Delivery(Channel channel, Recipient to, String template) {
    }
}
