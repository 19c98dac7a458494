package io.claimshub.assignment;

import io.claimshub.processing.AdjusterRoster;
import io.claimshub.processing.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adjuster roster in use, reloaded when its file changes ({@code hub.processing.roster-file}). A file that
 * cannot be used is logged with the loader's message and the roster in use is kept, so a typo never empties it.
 */
public final class RosterWatch implements Supplier<AdjusterRoster> {

    private static final Logger LOG = LoggerFactory.getLogger(RosterWatch.class);

    private final Path file;
    private volatile AdjusterRoster roster;
    // the modification time and size last seen, loaded or not: a bad file is reported once, not on every check
    private volatile String seenVersion;

    /** Loads the roster; at start-up a bad file is fatal ({@link InvalidConfigurationException}). */
    public RosterWatch(Path file) {
        this.file = file;
        this.seenVersion = versionOf(file);
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
     * Reloads the roster if the file's modification time or size changed since the last check.
     *
     * @return true when a new roster is in use
     */
    public synchronized boolean reloadIfChanged() {
        String version = versionOf(file);
        if (version.equals(seenVersion)) {
            return false;
        }
        seenVersion = version;
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

    private static String versionOf(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return modified.toMillis() + "/" + Files.size(file);
        } catch (IOException e) {
            return "missing";
        }
    }
}
