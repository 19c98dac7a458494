package io.claimshub.ingest;

import static io.claimshub.ingest.IngestFiles.submissionLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.event.FieldError;
import org.junit.jupiter.api.Test;

/** A JSON Lines line is read by the same rules as a REST body: no duplicate keys, no document too deep. */
class JsonLinesInputRulesTest {

    @Test
    void aLineWithADuplicateKeyIsUnreadable() {
        String line = submissionLine("1").replaceFirst("\\{", "{\"claimType\":\"boat\",");

        assertThat(JsonLinesFormat.parse(line)).isInstanceOf(IngestLine.Unreadable.class);
    }

    @Test
    void aLineNestedTooDeeplyIsUnreadable() {
        String line = submissionLine("1").replaceFirst("\\{", "{\"x\":" + "[".repeat(998) + "]".repeat(998) + ",");

        assertThat(JsonLinesFormat.parse(line)).isInstanceOfSatisfying(IngestLine.Unreadable.class,
                unreadable -> assertThat(unreadable.errors()).extracting(FieldError::field).isNotEmpty());
    }
}
