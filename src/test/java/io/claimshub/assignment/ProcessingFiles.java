package io.claimshub.assignment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

/** Roster, rules and SLA files in a test's temporary directory: the samples' rules and SLA, a roster of the test's own. */
public final class ProcessingFiles {

    public final Path roster;
    public final Path rules;
    public final Path sla;

    public ProcessingFiles(Path dir) {
        this.roster = dir.resolve("adjusters.yaml");
        this.rules = dir.resolve("rules.yaml");
        this.sla = dir.resolve("sla.yaml");
        try {
            Files.copy(Path.of("config/rules.yaml"), rules, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(Path.of("config/sla.yaml"), sla, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An adjuster entry of the roster file. */
    public static String adjuster(String id, String types, String regions, String seniority, int maxOpenClaims) {
        return """
                  - id: %s
                    name: Adjuster %s
                    email: %s@claimshub.example
                    phone: "+41 44 555 00 00"
                    claimTypes: [%s]
                    regions: [%s]
                    seniority: %s
                    authorityLimit: 10000.00
                    maxOpenClaims: %d
                """.formatted(id, id, id.toLowerCase(), types, regions, seniority, maxOpenClaims);
    }

    /**
     * Writes the roster; its modification time is moved on a second past the previous one, so a watcher sees the
     * change even on a file system with coarse timestamps.
     */
    public ProcessingFiles writeRoster(List<String> adjusters) {
        try {
            FileTime before = Files.exists(roster) ? Files.getLastModifiedTime(roster) : FileTime.from(Instant.EPOCH);
            Files.writeString(roster, "adjusters:\n" + String.join("", adjusters));
            Files.setLastModifiedTime(roster, FileTime.fromMillis(Math.max(before.toMillis() + 1000,
                    System.currentTimeMillis())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
