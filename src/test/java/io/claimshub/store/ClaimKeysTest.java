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

        assertThat(ClaimKeys.idempotency("order-42")).isEqualTo("idempotency:{order-42}");
        assertThat(ClaimKeys.submission(eventId)).isEqualTo("submission:{1a9bf453-917b-44e3-b6e0-73ba87ab823b}");
    }

    @Test
    void theGlobalLogComesFromConfigurationWithTheDesignsNameAsDefault() {
        assertThat(new ClaimKeys().globalLog()).isEqualTo("claims:events");
        assertThat(new ClaimKeys("staging:claims:events").globalLog()).isEqualTo("staging:claims:events");
    }

    @Test
    void aKeyIsNeverBuiltFromSomethingThatIsNotAClaimId() {
        assertThatThrownBy(() -> ClaimKeys.claimStream("CLM-1}x{")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> ClaimKeys.idempotency(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
