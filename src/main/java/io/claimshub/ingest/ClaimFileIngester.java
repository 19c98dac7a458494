package io.claimshub.ingest;

import io.claimshub.event.FieldError;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.PushOutcome;
import io.claimshub.store.SubmitOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
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

    private final ClaimCommands commands;
    private final IngestedSubmissions submissions;
    private final int maxLineBytes;

    /** @param maxLineBytes the size limit of a line (for CSV, of a row); a longer one is refused unread */
    public ClaimFileIngester(ClaimCommands commands, IngestedSubmissions submissions, int maxLineBytes) {
        this.commands = commands;
        this.submissions = submissions;
        this.maxLineBytes = maxLineBytes;
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
        long accepted = 0;
        long rejected = 0;
        MessageDigest digest = FileContent.newDigest();
        FileLines lines = new FileLines(new DigestInputStream(Files.newInputStream(file), digest), maxLineBytes, fileSettled);
        boolean endHeldBack;
        try (IngestReader reader = open(file, lines)) {
            for (NumberedLine line = reader.next(); line != null; line = reader.next()) {
                Optional<LineRejection> rejection = apply(line, reader);
                if (rejection.isPresent()) {
                    rejected++;
                    rejections.accept(rejection.get());
                } else {
                    accepted++;
                }
            }
            endHeldBack = reader.endHeldBack();
            // also the bytes after a line that stops the reader count for telling whether the file changed
            lines.drain();
        }
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

    private Optional<LineRejection> apply(NumberedLine numbered, IngestReader reader) {
        long number = numbered.number();
        IngestLine line = numbered.line();
        if (line instanceof IngestLine.Unreadable unreadable) {
            return Optional.of(new LineRejection(number, unreadable.reason(), unreadable.errors()));
        }
        if (line instanceof IngestLine.Submission submission) {
            return submit(number, submission, reader);
        }
        if (line instanceof IngestLine.Push push) {
            return push(number, push, reader);
        }
        return Optional.empty();
    }

    private Optional<LineRejection> submit(long number, IngestLine.Submission submission, IngestReader reader) {
        String contentHash = submission.contentHash();
        if (submissions.claimOf(contentHash).isPresent()) {
            return Optional.empty();
        }
        // the store's idempotency record answers a retry within its window, also if we crash before remembering
        SubmitOutcome outcome = commands.submit(submission.data(), "ingest:" + contentHash, submission.eventId());
        if (outcome instanceof SubmitOutcome.Accepted accepted) {
            submissions.remember(contentHash, accepted.claimId());
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

    private Optional<LineRejection> push(long number, IngestLine.Push push, IngestReader reader) {
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
