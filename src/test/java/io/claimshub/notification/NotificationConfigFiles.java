package io.claimshub.notification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The shipped notification rules and templates (config/), copied into a test's folder to be edited there. */
public final class NotificationConfigFiles {

    private NotificationConfigFiles() {
    }

    /** Copies config/notifications.yaml and config/templates/ into {@code dir}; returns the rules file there. */
    public static Path copyShipped(Path dir) {
        try {
            Path templates = Files.createDirectories(dir.resolve("templates"));
            try (Stream<Path> files = Files.list(Path.of("config/templates"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, templates.resolve(file.getFileName()));
                }
            }
            return Files.copy(Path.of("config/notifications.yaml"), dir.resolve("notifications.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
