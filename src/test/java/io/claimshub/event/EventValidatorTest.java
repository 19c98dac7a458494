package io.claimshub.event;

import static io.claimshub.event.ClaimEventFixtures.event;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {

    private static final EventValidator VALIDATOR = new EventValidator();

    @Test
    void aValidSubmissionPasses() {
        assertThat(VALIDATOR.validateEnvelope(submittedJson())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void aValidEventOfEachTypePasses(EventType type) {
        assertThat(VALIDATOR.validateEnvelope(EventJson.toObjectNode(event(type)))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventId", "eventType", "claimId", "timestamp", "data", "version"})
    void aMissingEnvelopeFieldIsReported(String field) {
        ObjectNode json = submittedJson();
        json.remove(field);

        assertThat(VALIDATOR.validateEnvelope(json)).contains(new FieldError(field, "is required"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"policyNumber", "claimType", "incidentDate", "description", "amountClaimed",
        "amountClaimed.amount", "amountClaimed.currency", "claimant", "claimant.name", "claimant.email",
        "claimant.phone", "region", "priority"})
    void aMissingSubmissionFieldIsReportedWithItsPath(String path) {
        ObjectNode json = submittedJson();
        parentOf(json, path).remove(lastName(path));

        assertThat(VALIDATOR.validateEnvelope(json)).containsExactly(new FieldError("data." + path, "is required"));
    }

    @ParameterizedTest(name = "data.{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "policyNumber           | \"\"",
        "policyNumber           | 123456",
        "claimType              | \"boat\"",
        "incidentDate           | \"27/02/2026\"",
        "incidentDate           | \"2026-02-30\"",
        "description            | \"\"",
        "amountClaimed.amount   | 0",
        "amountClaimed.amount   | -1.50",
        "amountClaimed.amount   | \"1500\"",
        "amountClaimed.currency | \"eur\"",
        "amountClaimed.currency | \"EURO\"",
        "claimant.email         | \"ada-at-example.com\"",
        "claimant.phone         | \"07700900123\"",
        "claimant.phone         | \"+1234567\"",
        "claimant.phone         | \"+1234567890123456\"",
        "region                 | null",
        "priority               | \"asap\""})
    void aBadSubmissionFieldIsReportedWithItsPath(String path, String badJsonValue) {
        ObjectNode json = submittedJson();
        parentOf(json, path).set(lastName(path), EventJson.parse(badJsonValue, path));

        List<FieldError> errors = VALIDATOR.validateEnvelope(json);

        assertThat(errors).extracting(FieldError::field).containsExactly("data." + path);
    }

    @Test
    void unknownDataFieldsAreAccepted() {
        ObjectNode json = submittedJson();
        ((ObjectNode) json.get("data")).put("loyaltyTier", "gold");
        ((ObjectNode) json.at("/data/claimant")).put("preferredLanguage", "fr");

        assertThat(VALIDATOR.validateEnvelope(json)).isEmpty();
    }

    @Test
    void anUnknownVersionIsRejected() {
        ObjectNode json = submittedJson();
        json.put("version", "2.0");

        assertThat(VALIDATOR.validateEnvelope(json)).containsExactly(
                new FieldError("version", "unsupported event version \"2.0\"; this hub reads version 1.0"));
    }

    @Test
    void anUnknownEnvelopeFieldIsRejected() {
        ObjectNode json = submittedJson();
        json.put("tenant", "acme");

        assertThat(VALIDATOR.validateEnvelope(json)).extracting(FieldError::field).containsExactly("tenant");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "eventId   | 1234",
        "eventType | claim.teleported",
        "claimId   | CLM-abc12345",
        "timestamp | 2026-03-02 09:00"})
    void aBadEnvelopeFieldIsReported(String field, String badValue) {
        ObjectNode json = submittedJson();
        json.put(field, badValue);

        assertThat(VALIDATOR.validateEnvelope(json)).extracting(FieldError::field).containsExactly(field);
    }

    @Test
    void dataIsCheckedAgainstTheSchemaOfItsOwnType() {
        ObjectNode json = EventJson.toObjectNode(event(ClaimEventFixtures.rejection()));
        ((ObjectNode) json.get("data")).put("reasonCode", "not upper case");

        assertThat(VALIDATOR.validateData(EventType.CLAIM_REJECTED, json.get("data")))
                .extracting(FieldError::field).containsExactly("data.reasonCode");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CLAIM_ASSIGNED          | slaDeadline",
        "CLAIM_DOCUMENT_UPLOADED | documentId",
        "CLAIM_INVESTIGATED      | outcome",
        "CLAIM_APPROVED          | approvedAmount",
        "CLAIM_REJECTED          | reasonCode",
        "CLAIM_PAYMENT_INITIATED | paymentId",
        "CLAIM_PAYMENT_COMPLETED | paidAt",
        "CLAIM_SLA_BREACHED      | breachedAt"})
    void eachTypeRequiresItsFields(EventType type, String field) {
        ObjectNode data = EventJson.toObjectNode(ClaimEventFixtures.sampleData(type));
        data.remove(field);

        assertThat(VALIDATOR.validateData(type, data)).containsExactly(new FieldError("data." + field, "is required"));
    }

    private static ObjectNode submittedJson() {
        return EventJson.toObjectNode(event(submission()));
    }

    private static ObjectNode parentOf(ObjectNode event, String dottedPath) {
        int lastDot = dottedPath.lastIndexOf('.');
        String parent = lastDot < 0 ? "" : "/" + dottedPath.substring(0, lastDot).replace('.', '/');
        return (ObjectNode) event.at("/data" + parent);
    }

    private static String lastName(String dottedPath) {
        return dottedPath.substring(dottedPath.lastIndexOf('.') + 1);
    }
}
