package io.claimshub.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The watched directory: ingests a complete file, then files it under {@code done/} when every line was accepted,
 * or under {@code failed/} beside a {@code <name>.errors.jsonl} report of its rejected lines. A file stays in the
 * inbox until it is filed, so a crash or a store failure half-way leaves it to be ingested again, whole.
 */
public final class IngestInbox {

    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String ERRORS_SUFFIX = ".errors.jsonl";

    private final ClaimFileIngester ingester;

    public IngestInbox(ClaimFileIngester ingester) {
        this.ingester = ingester;
    }

    /** Ingests the file at {@code path} and files it next to where it lies; answers where it went. */
    public Path ingestAndFile(String path) throws IOException {
        return ingestAndFile(Path.of(path));
    }

    public Path ingestAndFile(Path file) throws IOException {
        Path inbox = file.toAbsolutePath().getParent();
        Path failedDir = Files.createDirectories(inbox.resolve(FAILED));
        String name = file.getFileName().toString();
        // written under a hidden name and renamed when complete, like the files we are handed
        Path partialReport = failedDir.resolve("." + name + ERRORS_SUFFIX + ".part");
        FileIngestResult result;
        try (RejectionReport report = new RejectionReport(partialReport)) {
            result = ingester.ingest(file, report::write);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (result.allAccepted()) {
            Files.deleteIfExists(partialReport);
            return moveTo(file, Files.createDirectories(inbox.resolve(DONE)));
        }
        Path filed = freeName(failedDir, name);
        Files.move(partialReport, failedDir.resolve(filed.getFileName() + ERRORS_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
        return Files.move(file, filed);
    }

    private static Path moveTo(Path file, Path directory) throws IOException {
        return Files.move(file, freeName(directory, file.getFileName().toString()));
    }

    /** {@code name}, or {@code base-2.ext}, {@code base-3.ext}, ... when a file of that name was filed before. */
    static Path freeName(Path directory, String name) {
        Path candidate = directory.resolve(name);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = directory.resolve(base + "-" + n + extension);
        }
        return candidate;
    }

    /** Writes {@code {"line":n,"reason":"...","errors":[{"field":...,"message":...}]}} lines, opening the file on the first. */
    private static final class RejectionReport implements AutoCloseable {

        private final Path path;
        private BufferedWriter out;

        RejectionReport(Path path) {
            this.path = path;
        }

        void write(LineRejection rejection) {
            try {
                if (out == null) {
                    out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
                }
                ObjectNode line = EventJson.mapper().createObjectNode();
                line.put("line", rejection.line());
                line.put("reason", rejection.reason());
                var errors = line.putArray("errors");
                for (FieldError error : rejection.errors()) {
                    errors.addObject().put("field", error.field()).put("message", error.message());
                }
                out.write(EventJson.write(line));
                out.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (out != null) {
                out.close();
            }
        }
    }
}
