package io.claimshub.ingest;

import io.claimshub.event.FieldError;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.PushOutcome;
import io.claimshub.store.SubmitOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    public ClaimFileIngester(ClaimCommands commands, IngestedSubmissions submissions) {
        this.commands = commands;
        this.submissions = submissions;
    }

    /** Whether the file's name says it is one this ingester reads. */
    public static boolean isIngestFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".csv");
    }

    /**
     * Ingests every line, handing each rejected one to {@code rejections} as it goes.
     *
     * @throws IOException if the file cannot be read; a store failure (Redis down) propagates too. Either way the
     *                     lines done so far are safe to do again.
     */
    public FileIngestResult ingest(Path file, Consumer<LineRejection> rejections) throws IOException {
        long accepted = 0;
        long rejected = 0;
        try (IngestReader reader = open(file)) {
            for (NumberedLine line = reader.next(); line != null; line = reader.next()) {
                Optional<LineRejection> rejection = apply(line, reader);
                if (rejection.isPresent()) {
                    rejected++;
                    rejections.accept(rejection.get());
                } else {
                    accepted++;
                }
            }
        }
        LOG.info("Ingested {}: {} line(s) accepted, {} rejected", file.getFileName(), accepted, rejected);
        return new FileIngestResult(accepted, rejected);
    }

    static IngestReader open(Path file) throws IOException {
        if (!isIngestFile(file)) {
            throw new IllegalArgumentException(file.getFileName() + " is neither a .jsonl nor a .csv file");
        }
        // a byte that is not UTF-8 fails the file (it stays where it is) rather than becoming U+FFFD in a claim
        BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)));
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return new CsvClaimReader(in);
        }
        return new JsonLinesReader(in);
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
