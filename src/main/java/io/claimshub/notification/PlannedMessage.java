package io.claimshub.notification;

import java.util.Map;

/**
 * A message the rules ask for, before rendering: the outbox message without its text, the template file to render
 * (as a Camel resource URI, {@code file:/...}; null for a status update, whose body is already set) and the model.
 */
public record PlannedMessage(OutboxMessage message, String templateUri, Map<String, Object> model) {

    /** The message with the rendered template: an e-mail's "Subject:" first line and blank line split off. */
    public OutboxMessage rendered(String text) {
        if (templateUri == null || text == null) {
            return message;
        }
        String subject = "";
        String body = text;
        if (message.channel() == Channel.EMAIL && text.startsWith("Subject:")) {
            int end = text.indexOf('\n');
            subject = (end < 0 ? text.substring(8) : text.substring(8, end)).strip();
            body = end < 0 ? "" : text.substring(end + 1).replaceFirst("^\\r?\\n", "");
        } else {
            body = text.strip();
        }
        OutboxMessage m = message;
        return m.withContent(m.to(), subject, body);
    }
}
