package io.claimshub.event;

import static io.claimshub.event.ClaimEventFixtures.event;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamEntryCodecTest {

    private final EventEnvelope submitted = event(submission());

    @Test
    void encodesToFlatStringFields() {
        Map<String, String> fields = StreamEntryCodec.encode(submitted, 1);

        assertThat(fields).containsOnlyKeys("eventId", "eventType", "claimId", "timestamp", "version", "data",
                "claimVersion");
        assertThat(fields).containsEntry("eventType", "claim.submitted")
                .containsEntry("claimId", "CLM-7Q2K9XAB")
                .containsEntry("timestamp", "2026-03-02T09:00:00Z")
                .containsEntry("version", "1.0")
                .containsEntry("claimVersion", "1")
                .containsEntry("eventId", submitted.eventId().toString());
        assertThat(fields.get("data")).startsWith("{\"policyNumber\":\"POL-123456\"")
                .contains("\"amount\":1500.00");
    }

    @Test
    void decodingAnEncodedEntryGivesTheSameEvent() {
        StoredEvent decoded = StreamEntryCodec.decode(StreamEntryCodec.encode(submitted, 7));

        assertThat(decoded.event()).isEqualTo(submitted);
        assertThat(decoded.claimVersion()).isEqualTo(7);
    }

    @Test
    void unknownDataFieldsSurviveTheStream() {
        ObjectNode data = submitted.data().deepCopy();
        data.put("channel", "mobile-app");
        EventEnvelope withExtra = new EventEnvelope(submitted.eventId(), submitted.eventType(), submitted.claimId(),
                submitted.timestamp(), data, submitted.version());

        StoredEvent decoded = StreamEntryCodec.decode(StreamEntryCodec.encode(withExtra, 1));

        assertThat(decoded.event().data().get("channel").asText()).isEqualTo("mobile-app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventId", "eventType", "claimId", "timestamp", "version", "data", "claimVersion"})
    void aMissingFieldIsNamed(String field) {
        Map<String, String> fields = new HashMap<>(StreamEntryCodec.encode(submitted, 1));
        fields.remove(field);

        assertThatThrownBy(() -> StreamEntryCodec.decode(fields))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining("is missing from the stream entry");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "eventId      | not-a-uuid",
        "eventType    | claim.teleported",
        "claimId      | CLM-1",
        "timestamp    | yesterday",
        "version      | 2.0",
        "data         | {\"policyNumber\":",
        "data         | [1, 2]",
        "claimVersion | seven",
        "claimVersion | 0"})
    void anUnreadableFieldIsNamed(String field, String value) {
        Map<String, String> fields = new HashMap<>(StreamEntryCodec.encode(submitted, 1));
        fields.put(field, value);

        assertThatThrownBy(() -> StreamEntryCodec.decode(fields))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
