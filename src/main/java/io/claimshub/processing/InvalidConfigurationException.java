package io.claimshub.processing;

import java.nio.file.Path;

/**
 * A processing configuration file (roster, rules, SLA) that cannot be used; the message names the file,
 * the entry and the field so an operator can fix it without reading code.
 */
public final class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public InvalidConfigurationException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
