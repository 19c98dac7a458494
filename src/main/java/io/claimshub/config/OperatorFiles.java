package io.claimshub.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator-edited files (roster, rules, SLA). A fresh install has none: the hub then writes the sample that ships
 * in the jar to the configured path, so the file the operator edits is the one the hub reads.
 */
final class OperatorFiles {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorFiles.class);

    private OperatorFiles() {
    }

    static Path existingOrDefault(String configured, String defaultName) {
        Path path = Path.of(configured);
        if (Files.exists(path)) {
            return path;
        }
        try (InputStream sample = OperatorFiles.class.getResourceAsStream("/defaults/" + defaultName)) {
            if (sample == null) {
                return path; // the loader reports the missing file
            }
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.copy(sample, path);
            LOG.warn("{} did not exist; wrote the sample {} there: edit it to suit", path.toAbsolutePath(), defaultName);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the default " + defaultName + " to " + path, e);
        }
    }
}
