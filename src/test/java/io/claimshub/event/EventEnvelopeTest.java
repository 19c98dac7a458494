package io.claimshub.event;

import static io.claimshub.event.ClaimEventFixtures.CLAIM_ID;
import static io.claimshub.event.ClaimEventFixtures.event;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    @Test
    void eventSerialisesWithIsoUtcTimestampAndExactAmounts() {
        EventEnvelope submitted = event(submission());

        JsonNode json = EventJson.parse(EventJson.write(submitted), "event");

        assertThat(json.get("timestamp").asText()).isEqualTo("2026-03-02T09:00:00Z");
        assertThat(json.get("eventType").asText()).isEqualTo("claim.submitted");
        assertThat(json.get("version").asText()).isEqualTo("1.0");
        assertThat(json.at("/data/incidentDate").asText()).isEqualTo("2026-02-27");
        assertThat(json.at("/data/amountClaimed/amount").toString()).isEqualTo("1500.00");
        assertThat(json.at("/data/claimType").asText()).isEqualTo("auto");
    }

    @Test
    void jsonRoundTripGivesAnEqualEvent() {
        EventEnvelope submitted = event(submission());

        EventEnvelope read = EventJson.readEnvelope(EventJson.write(submitted));

        assertThat(read).isEqualTo(submitted);
        assertThat(read.payload()).isEqualTo(submission());
    }

    @Test
    void unknownDataFieldsAreKeptThroughTheRoundTrip() {
        ObjectNode json = EventJson.toObjectNode(event(submission()));
        ((ObjectNode) json.get("data")).put("loyaltyTier", "gold");
        ((ObjectNode) json.at("/data/claimant")).put("preferredLanguage", "fr");

        EventEnvelope read = EventJson.readEnvelope(json);

        assertThat(read.data().get("loyaltyTier").asText()).isEqualTo("gold");
        assertThat(EventJson.write(read)).contains("\"preferredLanguage\":\"fr\"");
        assertThat(read.payload(ClaimSubmitted.class).claimant().email()).isEqualTo("ada@example.com");
    }

    @Test
    void decimalAmountsAreReadAsBigDecimal() {
        JsonNode amount = EventJson.parse("{\"amount\": 0.1}", "data").get("amount");

        assertThat(amount.decimalValue()).isEqualByComparingTo(new BigDecimal("0.1"));
        assertThat(amount.isBigDecimal()).isTrue();
    }

    @Test
    void anotherVersionIsRejectedWithAClearError() {
        ObjectNode json = EventJson.toObjectNode(event(submission()));
        json.put("version", "2.0");

        assertThatThrownBy(() -> EventJson.readEnvelope(json))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("version"))
                .hasMessageContaining("unsupported event version '2.0'; this hub reads version 1.0");
    }

    @Test
    void unknownEventTypeIsRejected() {
        assertThatThrownBy(() -> new EventEnvelope(UUID.randomUUID(), "claim.teleported", CLAIM_ID, Instant.now(),
                EventJson.mapper().createObjectNode(), "1.0"))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.field()).isEqualTo("eventType"));
    }

    @Test
    void malformedClaimIdIsRejected() {
        assertThatThrownBy(() -> EventEnvelope.of("CLM-short", Instant.now(), submission()))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("claimId"));
    }

    @Test
    void dataOfTheWrongShapeNamesTheField() {
        ObjectNode json = EventJson.toObjectNode(event(submission()));
        ((ObjectNode) json.get("data")).put("incidentDate", "last tuesday");
        EventEnvelope read = EventJson.readEnvelope(json);

        assertThatThrownBy(read::payload)
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.field()).isEqualTo("data.incidentDate"));
    }

    @Test
    void payloadOfAnotherTypeIsRefused() {
        assertThatThrownBy(() -> event(submission()).payload(ClaimApproved.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claim.submitted data is not ClaimApproved");
    }
}
