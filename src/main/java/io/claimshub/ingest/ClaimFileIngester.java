package io.claimshub.ingest;

import io.claimshub.event.FieldError;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.IngestKeys;
import io.claimshub.store.PushOutcome;
import io.claimshub.store.SubmitOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a JSON Lines ({@code .jsonl}) or CSV ({@code .csv}) file line by line through the same validation and
 * store as the REST API ({@link ClaimCommands}). Every line's identity comes from its content, so running a file
 * again — after a crash half-way, or the same content under another name — appends nothing twice.
 */
public final class ClaimFileIngester {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimFileIngester.class);
    /** The lines of a chunk, unless set otherwise ({@code hub.ingest.chunk-lines}). */
    public static final int DEFAULT_CHUNK_LINES = 500;
    /** A chunk is stored once its lines' text passes this many bytes, however few lines it has: memory stays small. */
    static final long CHUNK_BYTES = 4L * 1024 * 1024;

    private final ClaimCommands commands;
    private final IngestedSubmissions submissions;
    private final int maxLineBytes;
    private final int chunkLines;

    /** @param maxLineBytes the size limit of a line (for CSV, of a row); a longer one is refused unread */
    public ClaimFileIngester(ClaimCommands commands, IngestedSubmissions submissions, int maxLineBytes) {
        this(commands, submissions, maxLineBytes, DEFAULT_CHUNK_LINES);
    }

    /**
     * @param chunkLines how many submission lines are stored together, in a few pipelined round trips; fewer when
     *                   their text passes {@link #CHUNK_BYTES}
     */
    public ClaimFileIngester(ClaimCommands commands, IngestedSubmissions submissions, int maxLineBytes, int chunkLines) {
        if (chunkLines < 1) {
            throw new IllegalArgumentException("a chunk has at least one line; was " + chunkLines);
        }
        this.commands = commands;
        this.submissions = submissions;
        this.maxLineBytes = maxLineBytes;
        this.chunkLines = chunkLines;
    }

    /** Whether the file's name says it is one this ingester reads. */
    public static boolean isIngestFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".csv");
    }

    /** Ingests every line of a file that no longer changes, a last line without a line break included. */
    public FileIngestResult ingest(Path file, Consumer<LineRejection> rejections) throws IOException {
        return ingest(file, true, rejections).result();
    }

    /**
     * Ingests every complete line, handing each rejected one to {@code rejections} as it goes.
     *
     * @param fileSettled whether the file has stopped changing; if not, a last line without a line break is left
     *                    for a later reading, since its writer may not have finished it
     * @throws IOException if the file cannot be read; a store failure (Redis down) propagates too. Either way the
     *                     lines done so far are safe to do again.
     */
    public IngestPass ingest(Path file, boolean fileSettled, Consumer<LineRejection> rejections) throws IOException {
        if (!isIngestFile(file)) {
            throw new IllegalArgumentException(file.getFileName() + " is neither a .jsonl nor a .csv file");
        }
        MessageDigest digest = FileContent.newDigest();
        FileLines lines = new FileLines(new DigestInputStream(Files.newInputStream(file), digest), maxLineBytes, fileSettled);
        Chunk chunk;
        boolean endHeldBack;
        // the events of this file are recorded as caused by it
        ClaimCommands fileCommands = commands.as(actor(file));
        try (IngestReader reader = open(file, lines)) {
            chunk = new Chunk(fileCommands, reader, rejections);
            for (NumberedLine line = reader.next(); line != null; line = reader.next()) {
                if (line.line() instanceof IngestLine.Push push) {
                    // an event may need what the lines before it did: they are stored first, and it alone, in order
                    chunk.store();
                    chunk.count(push(fileCommands, line.number(), push, reader));
                    continue;
                }
                chunk.add(line, lines.bytesRead());
                if (chunk.size() >= chunkLines || lines.bytesRead() - chunk.startedAt >= CHUNK_BYTES) {
                    chunk.store();
                }
            }
            chunk.store();
            endHeldBack = reader.endHeldBack();
            // also the bytes after a line that stops the reader count for telling whether the file changed
            lines.drain();
        }
        long accepted = chunk.accepted;
        long rejected = chunk.rejected;
        LOG.info("Ingested {}: {} line(s) accepted, {} rejected{}", file.getFileName(), accepted, rejected,
                endHeldBack ? ", the last one left for later: it has no line break yet" : "");
        return new IngestPass(new FileIngestResult(accepted, rejected),
                new FileContent(lines.bytesRead(), HexFormat.of().formatHex(digest.digest())), endHeldBack);
    }

    private static IngestReader open(Path file, FileLines lines) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return new CsvClaimReader(lines);
        }
        return new JsonLinesReader(lines);
    }

    /**
     * The lines read since the last store, pushes aside: their submissions are looked up, reserved and appended
     * together, a few pipelined round trips for the lot, and their outcomes handed on in line order.
     */
    private final class Chunk {
        private final IngestReader reader;
        private final Consumer<LineRejection> rejections;
        private final List<NumberedLine> lines = new ArrayList<>();
        private long accepted;
        private long rejected;
        private long startedAt;

        private final ClaimCommands commands;

        Chunk(ClaimCommands commands, IngestReader reader, Consumer<LineRejection> rejections) {
            this.commands = commands;
            this.reader = reader;
            this.rejections = rejections;
        }

        /** @param bytesRead the file's bytes read so far: a chunk's text is measured from its first line's end */
        void add(NumberedLine line, long bytesRead) {
            if (lines.isEmpty()) {
                startedAt = bytesRead;
            }
            lines.add(line);
        }

        int size() {
            return lines.size();
        }

        void count(Optional<LineRejection> rejection) {
            if (rejection.isPresent()) {
                rejected++;
                rejections.accept(rejection.get());
            } else {
                accepted++;
            }
        }

        void store() {
            if (lines.isEmpty()) {
                return;
            }
            List<Integer> candidates = new ArrayList<>();
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).line() instanceof IngestLine.Submission submission) {
                    candidates.add(i);
                    hashes.add(submission.contentHash());
                }
            }
            // a line stored before (a file read again) is skipped before it is validated: one look-up for the chunk
            List<String> remembered = commands.rememberedClaims(hashes.stream().map(IngestKeys::rememberedSubmission).toList());
            List<Integer> submitted = new ArrayList<>();
            List<ClaimCommands.KeyedSubmission> toSubmit = new ArrayList<>();
            List<String> rememberedKeys = new ArrayList<>();
            Map<Integer, SubmitOutcome> outcomeOf = new HashMap<>();
            for (int c = 0; c < candidates.size(); c++) {
                int i = candidates.get(c);
                String hash = hashes.get(c);
                if (remembered.get(c) != null) {
                    outcomeOf.put(i, new SubmitOutcome.Accepted(remembered.get(c), null, 1));
                } else {
                    IngestLine.Submission submission = (IngestLine.Submission) lines.get(i).line();
                    submitted.add(i);
                    // the line's content names its idempotency record and what is remembered of it: the same line
                    // again, in this chunk or any later file, finds the claim it opened
                    toSubmit.add(new ClaimCommands.KeyedSubmission(submission.data(), IngestKeys.idempotencyKey(hash),
                            submission.eventId(hash)));
                    rememberedKeys.add(IngestKeys.rememberedSubmission(hash));
                }
            }
            List<SubmitOutcome> outcomes = toSubmit.isEmpty() ? List.of()
                    : commands.submitRemembered(toSubmit, rememberedKeys, submissions.retention());
            for (int k = 0; k < outcomes.size(); k++) {
                outcomeOf.put(submitted.get(k), outcomes.get(k));
            }
            for (int i = 0; i < lines.size(); i++) {
                NumberedLine line = lines.get(i);
                if (line.line() instanceof IngestLine.Unreadable unreadable) {
                    count(Optional.of(new LineRejection(line.number(), unreadable.reason(), unreadable.errors())));
                } else if (line.line() instanceof IngestLine.Submission) {
                    count(submitted(line.number(), outcomeOf.get(i), reader));
                }
            }
            lines.clear();
        }
    }

    private static Optional<LineRejection> submitted(long number, SubmitOutcome outcome, IngestReader reader) {
        if (outcome instanceof SubmitOutcome.Accepted) {
            return Optional.empty();
        }
        if (outcome instanceof SubmitOutcome.KeyInFlight) {
            // another instance (or a crashed run within the reservation's lease) holds this line: the file stays in
            // the inbox and the line is read again on a later look
            throw new IllegalStateException("line " + number + " is being ingested elsewhere; the file is read again later");
        }
        if (outcome instanceof SubmitOutcome.KeyReused) {
            return Optional.of(new LineRejection(number, "line identity already used for other content", List.of()));
        }
        List<FieldError> errors = ((SubmitOutcome.Invalid) outcome).errors();
        return Optional.of(new LineRejection(number, "invalid claim.submitted data", reader.describe(errors)));
    }

    private static Optional<LineRejection> rejection(long number, String reason, List<FieldError> errors) {
        return Optional.of(new LineRejection(number, reason, errors));
    }

    /** {@code file:<file name>}: the actor of the events a file's lines write. */
    public static String actor(Path file) {
        return "file:" + file.getFileName();
    }

    private Optional<LineRejection> push(ClaimCommands commands, long number, IngestLine.Push push,
                                         IngestReader reader) {
        PushOutcome outcome = commands.push(push.claimId(), push.eventType(), push.data(), push.eventId(),
                push.expectedVersionOrNull());
        if (outcome instanceof PushOutcome.Accepted) {
            return Optional.empty();
        }
        if (outcome instanceof PushOutcome.Invalid invalid) {
            return rejection(number, "invalid event", reader.describe(invalid.errors()));
        }
        if (outcome instanceof PushOutcome.NotFound notFound) {
            return rejection(number, "claim not found", List.of(new FieldError("claimId", "no claim has the id "
                    + notFound.claimId())));
        }
        PushOutcome.Conflict conflict = (PushOutcome.Conflict) outcome;
        return rejection(number, "conflict: " + conflict.reason(), List.of());
    }
}
