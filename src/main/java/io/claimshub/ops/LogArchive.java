package io.claimshub.ops;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;

/**
 * The archive of trimmed stream entries: per stream a directory of gzip JSON Lines files ({@code {"id", "fields"}} a
 * line, in id order), one per hour or day of entry time, and a manifest ({@code manifest.jsonl}) listing each file's
 * first and last entry id, entry count, size and SHA-256. A file is written under a temporary name, synced and
 * renamed; the manifest is rewritten the same way after it. So a crash leaves at most a temporary file or a file the
 * manifest does not list, which {@link #recover} deletes: its entries were not trimmed yet (trimming comes after
 * the manifest) and are archived again.
 */
public final class LogArchive {

    /** How entries are grouped into files. */
    public enum Period { HOUR, DAY }

    /** One archived file: its name in the stream's directory, its entry range, count, bytes and SHA-256 (hex). */
    public record Range(String file, String firstId, String lastId, long count, long bytes, String sha256) {
    }

    static final String MANIFEST = "manifest.jsonl";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final Path root;
    private final Period period;

    public LogArchive(Path root, Period period) {
        this.root = root;
        this.period = period;
    }

    public Path root() {
        return root;
    }

    /** The directory of a stream's files: its name with anything but letters, digits, '.', '_' and '-' as '_'. */
    public Path directory(String stream) {
        return root.resolve(stream.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** The files archived for the stream, oldest first, as the manifest lists them. */
    public List<Range> ranges(String stream) {
        Path manifest = directory(stream).resolve(MANIFEST);
        if (!Files.exists(manifest)) {
            return List.of();
        }
        try {
            List<Range> ranges = new ArrayList<>();
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    JsonNode node = EventJson.parse(line, "manifest");
                    ranges.add(new Range(node.get("file").asText(), node.get("firstId").asText(),
                            node.get("lastId").asText(), node.get("count").asLong(), node.get("bytes").asLong(),
                            node.get("sha256").asText()));
                }
            }
            return ranges;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive manifest " + manifest, e);
        }
    }

    /** The last entry id archived for the stream, if any. */
    public Optional<String> lastArchivedId(String stream) {
        List<Range> ranges = ranges(stream);
        return ranges.isEmpty() ? Optional.empty() : Optional.of(ranges.get(ranges.size() - 1).lastId());
    }

    /**
     * Deletes what a crash mid-write left in the stream's directory: temporary files, and files the manifest does not
     * list. Answers how many were deleted.
     */
    public int recover(String stream) {
        Path dir = directory(stream);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Set<String> listed = ranges(stream).stream().map(Range::file).collect(Collectors.toSet());
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.equals(MANIFEST) && !listed.contains(name)) {
                    Files.deleteIfExists(file);
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the archive directory " + dir, e);
        }
        return deleted;
    }

    /**
     * Archives entries given in id order, all after {@link #lastArchivedId}: a file per period, each added to the
     * manifest once it is durably in place. Call {@link #finish} after the last.
     */
    public ArchiveWriter writer(String stream) {
        return new ArchiveWriter(stream);
    }

    /** Reads a file's entries after checking its size and checksum against the manifest. */
    public void read(String stream, Range range, Consumer<StreamAdmin.Entry> sink) {
        Path file = directory(stream).resolve(range.file());
        try {
            byte[] bytes = Files.readAllBytes(file);
            String sha = HexFormat.of().formatHex(sha256().digest(bytes));
            if (bytes.length != range.bytes() || !sha.equals(range.sha256())) {
                throw new IllegalStateException("archive file " + file + " does not match its manifest checksum");
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(new java.io.ByteArrayInputStream(bytes)), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    JsonNode node = EventJson.parse(line, "archive line");
                    Map<String, String> fields = new LinkedHashMap<>();
                    node.get("fields").fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
                    sink.accept(new StreamAdmin.Entry(node.get("id").asText(), fields));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read archive file " + file, e);
        }
    }

    /** Writes one stream's entries into period files; not thread-safe. */
    public final class ArchiveWriter implements AutoCloseable {
        private final String stream;
        private final Path dir;
        private final List<Range> manifest;
        private String currentPeriod;
        private Path temp;
        private DigestOutputStream digest;
        private CountingStream counting;
        private Writer out;
        private String firstId;
        private String lastId;
        private long count;

        private ArchiveWriter(String stream) {
            this.stream = stream;
            this.dir = directory(stream);
            this.manifest = new ArrayList<>(ranges(stream));
        }

        public void write(StreamAdmin.Entry entry) throws IOException {
            String entryPeriod = label(StreamAdmin.millis(entry.id()));
            if (!entryPeriod.equals(currentPeriod)) {
                finishFile();
                open(entryPeriod, entry.id());
            }
            ObjectNode line = EventJson.mapper().createObjectNode();
            line.put("id", entry.id());
            ObjectNode fields = line.putObject("fields");
            entry.fields().forEach(fields::put);
            out.write(EventJson.write(line));
            out.write('\n');
            lastId = entry.id();
            count++;
        }

        /** Closes the file in hand and lists it in the manifest. */
        public void finish() throws IOException {
            finishFile();
        }

        @Override
        public void close() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the temporary file is deleted below and by the next recover
                }
                out = null;
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // recover deletes it
                }
            }
        }

        private void open(String label, String id) throws IOException {
            Files.createDirectories(dir);
            currentPeriod = label;
            temp = dir.resolve(label + "_" + id + ".jsonl.gz" + TEMP_SUFFIX);
            counting = new CountingStream(Files.newOutputStream(temp));
            digest = new DigestOutputStream(counting, sha256());
            out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(digest, 64 * 1024),
                    StandardCharsets.UTF_8), 64 * 1024);
            firstId = id;
            count = 0;
        }

        private void finishFile() throws IOException {
            if (out == null) {
                return;
            }
            out.close();
            out = null;
            String name = temp.getFileName().toString();
            name = name.substring(0, name.length() - TEMP_SUFFIX.length());
            Path target = dir.resolve(name);
            sync(temp);
            move(temp, target);
            manifest.add(new Range(name, firstId, lastId, count, counting.count,
                    HexFormat.of().formatHex(digest.getMessageDigest().digest())));
            writeManifest();
            currentPeriod = null;
        }

        private void writeManifest() throws IOException {
            Path temp = dir.resolve(MANIFEST + TEMP_SUFFIX);
            StringBuilder text = new StringBuilder();
            for (Range range : manifest) {
                ObjectNode line = EventJson.mapper().createObjectNode();
                line.put("file", range.file()).put("firstId", range.firstId()).put("lastId", range.lastId())
                        .put("count", range.count()).put("bytes", range.bytes()).put("sha256", range.sha256());
                text.append(EventJson.write(line)).append('\n');
            }
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            sync(temp);
            move(temp, dir.resolve(MANIFEST));
        }

        private void move(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        }
    }

    private String label(long millis) {
        Instant at = Instant.ofEpochMilli(millis);
        return period == Period.HOUR ? HOUR.format(at) : DAY.format(at);
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system syncs a directory; the rename itself is atomic
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the bytes written through it (the compressed file's size). */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
