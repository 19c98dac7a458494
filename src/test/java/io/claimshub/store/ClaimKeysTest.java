package io.claimshub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimshub.event.InvalidEventException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClaimKeysTest {

    @Test
    void aClaimsKeysShareTheClaimIdAsHashTag() {
        assertThat(ClaimKeys.claimStream("CLM-7Q2K9XAB")).isEqualTo("claim:{CLM-7Q2K9XAB}:events");
        assertThat(ClaimKeys.snapshot("CLM-7Q2K9XAB")).isEqualTo("claim:{CLM-7Q2K9XAB}");
        assertThat(ClaimKeys.eventIds("CLM-7Q2K9XAB")).isEqualTo("claim:{CLM-7Q2K9XAB}:event-ids");
    }

    @Test
    void idempotencyAndSubmissionRecordsHaveKeySpacesOfTheirOwn() {
        UUID eventId = UUID.fromString("1a9bf453-917b-44e3-b6e0-73ba87ab823b");

        // a record's id is a digest of the client's key (or event id): short, and no client text in a key name
        assertThat(ClaimKeys.idempotencyRecordId("order-42")).isEqualTo("ldqHuHRjUZKAWjp2");
        assertThat(ClaimKeys.submissionRecordId(eventId)).isEqualTo("obT-j_qYRqRB31t7");
        assertThat(ClaimKeys.idempotencyRecordId(eventId.toString())).isNotEqualTo(ClaimKeys.submissionRecordId(eventId));
        // records live in buckets by hour and the id's first two characters
        assertThat(ClaimKeys.idempotencyBucket("ldqHuHRjUZKAWjp2", 493_953)).isEqualTo("idempotency:{493953:ld}");
    }

    @Test
    void theGlobalLogComesFromConfigurationWithTheDesignsNameAsDefault() {
        assertThat(new ClaimKeys().globalLog()).isEqualTo("claims:events");
        assertThat(new ClaimKeys("staging:claims:events").globalLog()).isEqualTo("staging:claims:events");
    }

    @Test
    void aKeyIsNeverBuiltFromSomethingThatIsNotAClaimId() {
        assertThatThrownBy(() -> ClaimKeys.claimStream("CLM-1}x{")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> ClaimKeys.idempotencyRecordId(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
