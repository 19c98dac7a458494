package io.claimshub.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestKeysTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void aLinesKeysAreNamedByItsContentHashAsTheyAlwaysWere() {
        // the remembered lines of a running hub stay found across an upgrade only under the same names
        assertThat(IngestKeys.rememberedSubmission(HASH)).isEqualTo("ingest:submission:{" + HASH + "}");
        assertThat(IngestKeys.idempotencyKey(HASH)).isEqualTo("ingest:" + HASH);
    }
}
