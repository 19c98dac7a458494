package io.claimshub.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Ingest file lines for the tests: valid submissions (unique per seed), events and CSV rows. */
final class IngestFiles {

    static final String CSV_HEADER = "policyNumber,claimType,incidentDate,description,amount,currency,claimantName,"
            + "claimantEmail,claimantPhone,region,priority";

    /** The REST API's default body limit, which file lines share. */
    static final int MAX_LINE_BYTES = 262_144;

    private IngestFiles() {
    }

    /** The claim.submitted data of a claim, one line of JSON; the seed makes its content unique. */
    static String submissionLine(String seed) {
        return "{\"policyNumber\":\"POL-" + seed + "\",\"claimType\":\"auto\",\"incidentDate\":\"2026-02-27\","
                + "\"description\":\"Rear-ended at a traffic light\",\"amountClaimed\":{\"amount\":1500.00,\"currency\":\"EUR\"},"
                + "\"claimant\":{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"phone\":\"+447700900123\"},"
                + "\"region\":\"eu-west\",\"priority\":\"normal\"}";
    }

    /** The same claim as a CSV row. */
    static String csvRow(String seed) {
        return "POL-" + seed + ",auto,2026-02-27,\"Rear-ended at a traffic light, rainy\",1500.00,EUR,Ada Lovelace,"
                + "ada@example.com,+447700900123,eu-west,normal";
    }

    static String documentLine(String claimId, String documentId) {
        return "{\"claimId\":\"" + claimId + "\",\"eventType\":\"claim.document.uploaded\",\"data\":{\"documentId\":\""
                + documentId + "\",\"documentType\":\"photo\",\"fileName\":\"dent.jpg\",\"uploadedBy\":\"ada@example.com\"}}";
    }

    static Path write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unique() {
        // line identities are global in Redis, which test runs may share (REDIS_URL): every run's content is new
        return java.util.UUID.randomUUID().toString().substring(0, 13).toUpperCase(Locale.ROOT);
    }
}
