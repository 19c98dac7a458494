package io.claimshub.ingest;

import static io.claimshub.ingest.IngestFiles.CSV_HEADER;
import static io.claimshub.ingest.IngestFiles.csvRow;
import static io.claimshub.ingest.IngestFiles.submissionLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.event.FieldError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvClaimReaderTest {

    private static List<NumberedLine> read(String csv) throws IOException {
        return read(csv, true);
    }

    private static List<NumberedLine> read(String csv, boolean fileSettled) throws IOException {
        List<NumberedLine> lines = new ArrayList<>();
        FileLines fileLines = new FileLines(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                IngestFiles.MAX_LINE_BYTES, fileSettled);
        try (CsvClaimReader reader = new CsvClaimReader(fileLines)) {
            for (NumberedLine line = reader.next(); line != null; line = reader.next()) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void aRowBecomesTheSameSubmissionAsTheJsonLine() throws IOException {
        List<NumberedLine> lines = read(CSV_HEADER + "\n" + csvRow("1") + "\n");

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).number()).isEqualTo(2);
        IngestLine.Submission row = (IngestLine.Submission) lines.get(0).line();
        IngestLine.Submission json = (IngestLine.Submission) JsonLinesFormat.parse(
                submissionLine("1").replace("traffic light", "traffic light, rainy"));
        assertThat(row.data()).isEqualTo(json.data());
        assertThat(row.contentHash()).isEqualTo(json.contentHash());
    }

    @Test
    void columnsMayComeInAnyOrderAndUnknownOnesAreIgnored() throws IOException {
        String header = "note,priority,region,claimantPhone,claimantEmail,claimantName,currency,amount,description,"
                + "incidentDate,claimType,policyNumber";
        String row = "ignored,urgent,eu-west,+447700900123,ada@example.com,Ada Lovelace,EUR,99.5,Hail,2026-02-27,property,POL-9";

        IngestLine.Submission submission = (IngestLine.Submission) read(header + "\n" + row).get(0).line();

        assertThat(submission.data().path("amountClaimed").path("amount").decimalValue()).isEqualByComparingTo("99.5");
        assertThat(submission.data().path("priority").asText()).isEqualTo("urgent");
        assertThat(submission.data().has("note")).isFalse();
    }

    @Test
    void rowsAreNumberedByTheLineTheyStartOnAndEmptyLinesAreSkipped() throws IOException {
        String csv = CSV_HEADER + "\n" + csvRow("1") + "\n\n"
                + "POL-2,auto,2026-02-27,\"two\nlines\",10,EUR,Ada,ada@example.com,+447700900123,eu,normal\n"
                + csvRow("3") + "\n";

        assertThat(read(csv)).extracting(NumberedLine::number).containsExactly(2L, 4L, 6L);
    }

    @Test
    void emptyCellsAreLeftOutAndANonNumericAmountIsKeptForTheSchemaToRefuse() throws IOException {
        String row = "POL-1,auto,2026-02-27,,abc,EUR,Ada,ada@example.com,+447700900123,eu,normal";

        IngestLine.Submission submission = (IngestLine.Submission) read(CSV_HEADER + "\n" + row).get(0).line();

        assertThat(submission.data().has("description")).isFalse();
        assertThat(submission.data().path("amountClaimed").path("amount").isTextual()).isTrue();
    }

    @Test
    void aHeaderLackingColumnsRejectsTheFileAtLineOne() throws IOException {
        List<NumberedLine> lines = read("policyNumber,claimType\n" + csvRow("1"));

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).number()).isEqualTo(1);
        IngestLine.Unreadable header = (IngestLine.Unreadable) lines.get(0).line();
        assertThat(header.errors()).extracting(FieldError::field).contains("amount", "claimantEmail").doesNotContain("claimType");
    }

    @Test
    void aHeaderNamingAColumnTwiceRejectsTheFileAtLineOneNamingThatColumn() throws IOException {
        // which claimType is meant cannot be told: as a JSON object with a key twice, the file is refused
        List<NumberedLine> lines = read(CSV_HEADER + ",claimType,note,note\n" + csvRow("1") + ",property,a,b\n");

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).number()).isEqualTo(1);
        IngestLine.Unreadable header = (IngestLine.Unreadable) lines.get(0).line();
        assertThat(header.reason()).isEqualTo("the header row repeats columns; no row was read");
        assertThat(header.errors()).extracting(FieldError::field).containsExactly("claimType");
    }

    @Test
    void storeErrorsNameTheCsvColumn() {
        assertThat(CsvClaimReader.toColumn(new FieldError("data.claimant.email", "bad"))).isEqualTo(new FieldError("claimantEmail", "bad"));
        assertThat(CsvClaimReader.toColumn(new FieldError("data.amountClaimed.amount", "bad"))).isEqualTo(new FieldError("amount", "bad"));
        assertThat(CsvClaimReader.toColumn(new FieldError("data.other", "bad"))).isEqualTo(new FieldError("data.other", "bad"));
    }

    @Test
    void anUnclosedQuoteStopsTheFileAtThatRow() throws IOException {
        List<NumberedLine> lines = read(CSV_HEADER + "\n" + csvRow("1") + "\nPOL-2,\"auto,broken\n" + csvRow("3") + "\n");

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).number()).isEqualTo(3);
        assertThat(((IngestLine.Unreadable) lines.get(1).line()).reason()).startsWith("unreadable CSV");
    }

    @Test
    void aQuoteStillOpenAtTheEndOfAFileThatMayGrowIsLeftForLater() throws IOException {
        String csv = CSV_HEADER + "\n" + csvRow("1") + "\nPOL-2,auto,2026-02-27,\"first line\n";

        assertThat(read(csv, false)).extracting(NumberedLine::number).containsExactly(2L);
        assertThat(read(csv, true)).extracting(line -> line.line().getClass().getSimpleName())
                .containsExactly("Submission", "Unreadable");
    }
}
