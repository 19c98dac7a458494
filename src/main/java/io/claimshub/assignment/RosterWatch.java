package io.claimshub.assignment;

import io.claimshub.processing.AdjusterRoster;
import io.claimshub.processing.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adjuster roster in use, loaded again when the roster-reload route sees its file change
 * ({@code hub.processing.roster-file}). A file that cannot be used is logged with the loader's message and the roster
 * in use is kept, so a typo never empties it.
 */
public final class RosterWatch implements Supplier<AdjusterRoster> {

    private static final Logger LOG = LoggerFactory.getLogger(RosterWatch.class);

    private final Path file;
    private volatile AdjusterRoster roster;

    /** Loads the roster; at start-up a bad file is fatal ({@link InvalidConfigurationException}). */
    public RosterWatch(Path file) {
        this.file = file;
        this.roster = AdjusterRoster.load(file);
    }

    @Override
    public AdjusterRoster get() {
        return roster;
    }

    public Path file() {
        return file;
    }

    /**
     * Loads the roster file again; a file that cannot be used is logged and the roster in use kept.
     *
     * @return true when a new roster is in use
     */
    public synchronized boolean reload() {
        try {
            AdjusterRoster loaded = AdjusterRoster.load(file);
            roster = loaded;
            LOG.info("Adjuster roster reloaded from {}: {} adjusters", file, loaded.size());
            return true;
        } catch (InvalidConfigurationException e) {
            LOG.error("Adjuster roster NOT reloaded, keeping the {} adjusters in use: {}", roster.size(),
                    e.getMessage());
            return false;
        }
    }
}
