package io.claimshub.testsupport;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Test resources as file paths, for settings that name a file.
 */
public final class TestFiles {

    private TestFiles() {
    }

    public static String testResource(String name) {
        try {
            return Path.of(TestFiles.class.getResource(name).toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("No test resource " + name, e);
        }
    }
}
