package io.claimshub.config;

import java.nio.file.Path;

/** An operator file as a camel-file route watches it: its folder and its name there. */
public record WatchedFile(String directory, String name) {

    public static WatchedFile of(Path file) {
        Path absolute = file.toAbsolutePath();
        return new WatchedFile(absolute.getParent().toString(), absolute.getFileName().toString());
    }
}
