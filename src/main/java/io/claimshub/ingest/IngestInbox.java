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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watched directory. Each look at a file ingests its complete lines; the file is filed — under {@code done/}
 * when every line was accepted, else under {@code failed/} beside a {@code <name>.errors.jsonl} report of its
 * rejected lines — only once it has stayed unchanged for the quiet period since it was read, its last line is
 * complete, and its content is still the one read. A file that changes is read again, whole, on a later look (its
 * lines already stored add nothing), so a writer that writes in place and pauses loses no line. A crash or a store
 * failure half-way leaves the file in the inbox to be read again too.
 */
public final class IngestInbox {

    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String ERRORS_SUFFIX = ".errors.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(IngestInbox.class);
    private static final long SWEEP_NANOS = Duration.ofMinutes(1).toNanos();

    private final ClaimFileIngester ingester;
    private final long quietNanos;
    private final LongSupplier nanoTime;
    private final BeforeFiling beforeFiling;
    // per file in the inbox: how it looked, since when, and the last reading of it (memory only: a restart reads again)
    private final Map<Path, Watched> watched = new HashMap<>();
    private long lastSweepNanos;

    /**
     * @param quietPeriod how long a file must stay unchanged after it was read before it is filed, and before a last
     *                    line without a line break is taken as complete
     */
    public IngestInbox(ClaimFileIngester ingester, Duration quietPeriod) {
        this(ingester, quietPeriod, System::nanoTime);
    }

    IngestInbox(ClaimFileIngester ingester, Duration quietPeriod, LongSupplier nanoTime) {
        this(ingester, quietPeriod, nanoTime, file -> { });
    }

    /** @param beforeFiling called just before a file is moved out of the inbox: a writer may still write then */
    IngestInbox(ClaimFileIngester ingester, Duration quietPeriod, LongSupplier nanoTime, BeforeFiling beforeFiling) {
        if (quietPeriod.isNegative()) {
            throw new IllegalArgumentException("the quiet period cannot be negative; was " + quietPeriod);
        }
        this.ingester = ingester;
        this.quietNanos = quietPeriod.toNanos();
        this.nanoTime = nanoTime;
        this.beforeFiling = beforeFiling;
        this.lastSweepNanos = nanoTime.getAsLong();
    }

    /** The moment between the last check of a file's content and its move out of the inbox. */
    @FunctionalInterface
    interface BeforeFiling {
        void filing(Path file) throws IOException;
    }

    /** How a file looked at one look; a writer changes at least one of these. */
    private record FileState(long size, FileTime modified, Object fileKey) {

        static FileState of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileState(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
        }
    }

    /** A file as last seen: unchanged since {@code sinceNanos}; {@code pass} is its reading in that state, if any. */
    private record Watched(FileState state, long sinceNanos, IngestPass pass) {
    }

    /** Looks at the file at {@code path} in the inbox; answers where it is now (filed, or still in the inbox). */
    public Path ingestAndFile(String path) throws IOException {
        return ingestAndFile(Path.of(path));
    }

    public synchronized Path ingestAndFile(Path file) throws IOException {
        Path key = file.toAbsolutePath();
        forgetFilesTakenAway();
        FileState seen = FileState.of(file);
        Watched current = watched.get(key);
        if (current == null || !current.state().equals(seen)) {
            current = new Watched(seen, nanoTime.getAsLong(), null);
        }
        boolean settled = nanoTime.getAsLong() - current.sinceNanos() >= quietNanos;
        if (seen.size() > 0 && (current.pass() == null || settled && current.pass().endHeldBack())) {
            IngestPass pass = read(file, settled);
            FileState after = FileState.of(file);
            if (!after.equals(seen) || pass.content().bytes() != seen.size()) {
                // written to while being read: read again, whole, once it has changed no more for a while
                watched.put(key, new Watched(after, nanoTime.getAsLong(), null));
                return file;
            }
            current = new Watched(seen, current.sinceNanos(), pass);
        }
        if (!settled || seen.size() > 0 && current.pass().endHeldBack()) {
            watched.put(key, current);
            return file;
        }
        if (seen.size() > 0 && !FileContent.of(file).equals(current.pass().content())) {
            // rewritten in place, same size and time stamp: not the content that was read
            watched.put(key, new Watched(FileState.of(file), nanoTime.getAsLong(), null));
            return file;
        }
        watched.remove(key);
        return seen.size() == 0 ? fileAsEmpty(file, seen) : file(file, seen, current.pass().result());
    }

    /** Forgets, now and then, the files someone else took out of the inbox. */
    private void forgetFilesTakenAway() {
        if (nanoTime.getAsLong() - lastSweepNanos >= SWEEP_NANOS) {
            watched.keySet().removeIf(other -> !Files.exists(other));
            lastSweepNanos = nanoTime.getAsLong();
        }
    }

    private IngestPass read(Path file, boolean settled) throws IOException {
        Path partialReport = partialReport(file);
        Files.deleteIfExists(partialReport);
        try (RejectionReport report = new RejectionReport(partialReport)) {
            return ingester.ingest(file, settled, report::write);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Written under a hidden name and renamed when the file is filed, like the files we are handed. */
    private static Path partialReport(Path file) throws IOException {
        Path failedDir = Files.createDirectories(file.toAbsolutePath().getParent().resolve(FAILED));
        return failedDir.resolve("." + file.getFileName() + ERRORS_SUFFIX + ".part");
    }

    /** @param read how the file looked when its content was read and checked */
    private Path file(Path file, FileState read, FileIngestResult result) throws IOException {
        Path inbox = file.toAbsolutePath().getParent();
        Path partialReport = partialReport(file);
        if (result.allAccepted()) {
            Files.deleteIfExists(partialReport);
            return moveOut(file, read, freeName(Files.createDirectories(inbox.resolve(DONE)), file.getFileName().toString()));
        }
        Path filed = freeName(inbox.resolve(FAILED), file.getFileName().toString());
        Path report = filed.resolveSibling(filed.getFileName() + ERRORS_SUFFIX);
        // the report first: a file in failed/ always has its report beside it
        Files.move(partialReport, report, StandardCopyOption.REPLACE_EXISTING);
        Path moved = moveOut(file, read, filed);
        if (!moved.equals(filed)) {
            Files.deleteIfExists(report);
        }
        return moved;
    }

    /**
     * Moves the file to {@code filed} (a rename within the inbox's file system) and answers where it is. Bytes written
     * between its last check and the rename change its size or time stamp (no third reading for the hash): then it is
     * put back in the inbox, under its own name if still free, to be read again; its lines stored before add nothing.
     */
    private Path moveOut(Path file, FileState read, Path filed) throws IOException {
        beforeFiling.filing(file);
        Files.move(file, filed);
        if (FileState.of(filed).equals(read)) {
            return filed;
        }
        Path back = freeName(file.toAbsolutePath().getParent(), file.getFileName().toString());
        Files.move(filed, back);
        LOG.warn("{} was written to while being filed; put back in the inbox as {} to be read again",
                file.getFileName(), back.getFileName());
        return back;
    }

    /** A zero-byte file cannot be told from an export that failed before writing: it is filed for a person to see. */
    private Path fileAsEmpty(Path file, FileState read) throws IOException {
        Path partialReport = partialReport(file);
        try (RejectionReport report = new RejectionReport(partialReport)) {
            report.write(new LineRejection(0, "empty file", List.of(new FieldError("file", "has no bytes"))));
        }
        LOG.warn("{} is empty; filed under {}/", file.getFileName(), FAILED);
        return file(file, read, new FileIngestResult(0, 1));
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
