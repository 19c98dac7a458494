package io.claimshub.notification;

import io.claimshub.processing.InvalidConfigurationException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification rules in use, loaded again when the rules-reload route sees {@code hub.notifications.rules-file}
 * change. A file that cannot be used (bad YAML, unknown field, a template that does not exist) is logged with its
 * line and the rules in use are kept.
 */
// not a Supplier: Camel's registry would hand out what a Supplier bean supplies, not the bean
public final class RulesWatch {

    private static final Logger LOG = LoggerFactory.getLogger(RulesWatch.class);

    private final Path file;
    private final Templates templates;
    private volatile NotificationRules rules;

    /** Loads the rules; at start-up a bad file is fatal ({@link InvalidConfigurationException}). */
    public RulesWatch(Path file, Templates templates) {
        this.file = file;
        this.templates = templates;
        this.rules = NotificationRules.load(file, templates::problem);
    }

    public NotificationRules get() {
        return rules;
    }

    public Path file() {
        return file;
    }

    /** @return true when the file's rules are in use now */
    public synchronized boolean reload() {
        try {
            NotificationRules loaded = NotificationRules.load(file, templates::problem);
            rules = loaded;
            LOG.info("Notification rules reloaded from {}: {} rules", file, loaded.rules().size());
            return true;
        } catch (InvalidConfigurationException e) {
            LOG.error("Notification rules NOT reloaded, keeping the {} rules in use: {}", rules.rules().size(),
                    e.getMessage());
            return false;
        }
    }
}
