package io.claimshub.ingest;

import static io.claimshub.ingest.IngestFiles.documentLine;
import static io.claimshub.ingest.IngestFiles.submissionLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.event.FieldError;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonLinesFormatTest {

    @Test
    void aBareDataObjectIsASubmission() {
        IngestLine line = JsonLinesFormat.parse(submissionLine("1"));

        assertThat(line).isInstanceOf(IngestLine.Submission.class);
        assertThat(((IngestLine.Submission) line).data().path("policyNumber").asText()).isEqualTo("POL-1");
    }

    @Test
    void aWrappedSubmissionIsTheSameSubmissionAsTheBareOne() {
        IngestLine.Submission bare = (IngestLine.Submission) JsonLinesFormat.parse(submissionLine("1"));
        IngestLine.Submission wrapped = (IngestLine.Submission) JsonLinesFormat.parse(
                "{\"eventType\":\"claim.submitted\",\"data\":" + submissionLine("1") + "}");

        assertThat(wrapped.contentHash()).isEqualTo(bare.contentHash());
        assertThat(wrapped.eventId()).isEqualTo(bare.eventId());
    }

    @Test
    void spacingDoesNotChangeALinesIdentityButContentDoes() {
        IngestLine.Submission compact = (IngestLine.Submission) JsonLinesFormat.parse(submissionLine("1"));
        IngestLine.Submission spaced = (IngestLine.Submission) JsonLinesFormat.parse(
                "  " + submissionLine("1").replace(",", " ,  ").replace(":", " : ") + " ");
        IngestLine.Submission other = (IngestLine.Submission) JsonLinesFormat.parse(submissionLine("2"));

        assertThat(spaced.contentHash()).isEqualTo(compact.contentHash());
        assertThat(other.contentHash()).isNotEqualTo(compact.contentHash());
    }

    @Test
    void anEventLineIsAPushWithADeterministicEventIdUnlessItBringsOne() {
        IngestLine.Push push = (IngestLine.Push) JsonLinesFormat.parse(documentLine("CLM-AAAA0001", "DOC-1"));
        IngestLine.Push again = (IngestLine.Push) JsonLinesFormat.parse(documentLine("CLM-AAAA0001", "DOC-1"));
        IngestLine.Push otherClaim = (IngestLine.Push) JsonLinesFormat.parse(documentLine("CLM-AAAA0002", "DOC-1"));
        UUID given = UUID.randomUUID();
        IngestLine.Push withId = (IngestLine.Push) JsonLinesFormat.parse(
                "{\"claimId\":\"CLM-AAAA0001\",\"eventType\":\"claim.assigned\",\"eventId\":\"" + given
                        + "\",\"expectedVersion\":1,\"data\":{}}");

        assertThat(push.claimId()).isEqualTo("CLM-AAAA0001");
        assertThat(push.eventType()).isEqualTo("claim.document.uploaded");
        assertThat(push.expectedVersionOrNull()).isNull();
        assertThat(push.eventId()).isEqualTo(again.eventId()).isNotEqualTo(otherClaim.eventId());
        assertThat(withId.eventId()).isEqualTo(given);
        assertThat(withId.expectedVersionOrNull()).isEqualTo(1L);
    }

    @Test
    void blankLinesAreSkipped() {
        assertThat(JsonLinesFormat.parse("   ")).isInstanceOf(IngestLine.Blank.class);
        assertThat(JsonLinesFormat.parse("")).isInstanceOf(IngestLine.Blank.class);
    }

    @Test
    void linesThatAreNotJsonObjectsAreUnreadable() {
        IngestLine.Unreadable broken = (IngestLine.Unreadable) JsonLinesFormat.parse("{\"policyNumber\": ");
        IngestLine.Unreadable array = (IngestLine.Unreadable) JsonLinesFormat.parse("[1,2]");

        assertThat(broken.reason()).isEqualTo("not valid JSON");
        assertThat(array.reason()).isEqualTo("not a JSON object");
    }

    @Test
    void anEventLineNamesEachOfItsMistakes() {
        IngestLine.Unreadable line = (IngestLine.Unreadable) JsonLinesFormat.parse(
                "{\"eventType\":\"claim.assigned\",\"data\":[],\"eventId\":\"nope\",\"expectedVersion\":-1,\"extra\":1}");

        assertThat(line.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("extra", "data", "eventId", "claimId", "expectedVersion");
    }

    @Test
    void aSubmittedLineMustNotNameAClaim() {
        IngestLine.Unreadable line = (IngestLine.Unreadable) JsonLinesFormat.parse(
                "{\"eventType\":\"claim.submitted\",\"claimId\":\"CLM-AAAA0001\",\"data\":" + submissionLine("1") + "}");

        assertThat(line.errors()).extracting(FieldError::field).containsExactly("claimId");
    }

    @Test
    void aByteOrderMarkBeforeTheFirstLineIsIgnored() {
        assertThat(JsonLinesFormat.parse("\uFEFF" + submissionLine("1"))).isInstanceOf(IngestLine.Submission.class);
    }
}
