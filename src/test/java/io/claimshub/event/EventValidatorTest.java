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
        "priority               | \"asap\"",
        "amountClaimed.amount   | 1e1000",
        "amountClaimed.amount   | 1e10000",
        "amountClaimed.amount   | 1000000000000.01",
        "amountClaimed.amount   | 1500.001",
        "amountClaimed.amount   | 1e-1000",
        "amountClaimed.currency | \"XYZ\"",
        "description            | \"   \"",
        "description            | \"\\t\\n\"",
        "policyNumber           | \" \"",
        "claimant.name          | \"  \"",
        "incidentDate           | \"0000-02-27\"",
        "incidentDate           | \"1899-12-31\"",
        "incidentDate           | \"9999-12-31\"",
        "description            | \"\\ud800\"",
        "description            | \"broken \\udc00 pair\""})
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

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "1000000000000    | EUR",
        "1500.50          | EUR",
        "1500.5           | EUR",
        "1500.500         | EUR",
        "1500             | JPY",
        "1500.125         | BHD",
        "0.01             | EUR"})
    void amountsUpToTheMaximumInTheCurrencysMinorUnitsPass(String amount, String currency) {
        ObjectNode json = submittedJson();
        ObjectNode money = (ObjectNode) json.at("/data/amountClaimed");
        money.set("amount", EventJson.parse(amount, "amount"));
        money.put("currency", currency);

        assertThat(VALIDATOR.validateData(EventType.CLAIM_SUBMITTED, json.get("data"))).isEmpty();
    }

    @Test
    void yenHaveNoMinorUnitAndTheMaximumIsASetting() {
        ObjectNode json = submittedJson();
        ObjectNode money = (ObjectNode) json.at("/data/amountClaimed");
        money.set("amount", EventJson.parse("1500.5", "amount"));
        money.put("currency", "JPY");
        assertThat(VALIDATOR.validateData(EventType.CLAIM_SUBMITTED, json.get("data")))
                .extracting(FieldError::field).containsExactly("data.amountClaimed.amount");

        EventValidator small = new EventValidator(new java.math.BigDecimal("1000"));
        ObjectNode approval = EventJson.toObjectNode(ClaimEventFixtures.approval(Money.of("1000.01", "EUR")));
        assertThat(small.validateData(EventType.CLAIM_APPROVED, approval))
                .extracting(FieldError::field).containsExactly("data.approvedAmount.amount");
        ObjectNode payment = EventJson.toObjectNode(ClaimEventFixtures.paymentInitiation(Money.of("1000.01", "EUR")));
        assertThat(small.validateData(EventType.CLAIM_PAYMENT_INITIATED, payment))
                .extracting(FieldError::field).containsExactly("data.amount.amount");
    }

    @Test
    void anyNumberInDataMustBeReadableBackAndNestingIsLimited() {
        ObjectNode json = submittedJson();
        ObjectNode data = (ObjectNode) json.get("data");
        data.set("extension", EventJson.parse("{\"big\":1e1000,\"tiny\":1e-500,\"fine\":12345.678}", "extension"));
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        data.set("nested", EventJson.parse(deep, "nested"));

        assertThat(VALIDATOR.validateData(EventType.CLAIM_SUBMITTED, data)).extracting(FieldError::field)
                .containsExactlyInAnyOrder("data.extension.big", "data.extension.tiny",
                        "data.nested" + ".a".repeat(31));
    }

    @Test
    void aLoneSurrogateInAFieldNameIsReported() {
        ObjectNode json = submittedJson();
        ((ObjectNode) json.get("data")).put("x\udbff", "v");

        assertThat(VALIDATOR.validateData(EventType.CLAIM_SUBMITTED, json.get("data"))).hasSize(1);
    }

    @Test
    void anIncidentDateLaterThanTomorrowIsReported() {
        ObjectNode json = submittedJson();
        ((ObjectNode) json.get("data")).put("incidentDate", java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .plusDays(2).toString());

        assertThat(VALIDATOR.validateData(EventType.CLAIM_SUBMITTED, json.get("data")))
                .extracting(FieldError::field).containsExactly("data.incidentDate");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"data\":{}}                                                  | eventType       | is required",
        "{\"eventType\":null,\"data\":{}}                                | eventType       | must be a string",
        "{\"eventType\":7,\"data\":{}}                                   | eventType       | must be a string",
        "{\"eventType\":\"claim.assigned\"}                               | data            | is required",
        "{\"eventType\":\"claim.assigned\",\"data\":null}                 | data            | must be a JSON object",
        "{\"eventType\":\"claim.assigned\",\"data\":[]}                   | data            | must be a JSON object",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"eventId\":\"nope\"}  | eventId         | must be a UUID",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"eventId\":5}       | eventId         | must be a UUID",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"expectedVersion\":-1}    | expectedVersion | must be a whole number, 0 or more",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"expectedVersion\":1.5}   | expectedVersion | must be a whole number, 0 or more",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"expectedVersion\":\"1\"} | expectedVersion | must be a whole number, 0 or more",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"expectedVersion\":9223372036854775808} | expectedVersion | must be a whole number, 0 or more",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"extra\":1}         | extra           | is not a field of a pushed event; allowed: data, eventId, eventType, expectedVersion",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"claimId\":\"CLM-AAAA0001\"} | claimId | is not a field of a pushed event; allowed: data, eventId, eventType, expectedVersion",
    })
    void aBadPushedEventNamesTheField(String request, String field, String message) {
        assertThat(EventValidator.validatePushedEvent(EventJson.parse(request, "body")))
                .containsExactly(new FieldError(field, message));
    }

    @Test
    void aWellShapedPushedEventPasses() {
        String request = "{\"eventType\":\"claim.assigned\",\"data\":{},\"eventId\":\""
                + java.util.UUID.randomUUID() + "\",\"expectedVersion\":0}";

        assertThat(EventValidator.validatePushedEvent(EventJson.parse(request, "body"))).isEmpty();
        assertThat(EventValidator.validatePushedEvent(EventJson.parse(
                "{\"eventType\":\"claim.assigned\",\"data\":{},\"eventId\":null,\"expectedVersion\":null}", "body")))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"eventType\":\"claim.assigned\",\"data\":{}}                             | claimId         | is required",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"claimId\":7}               | claimId         | must be a string",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"claimId\":\"CLM-AAAA0001\",\"extra\":1} | extra | is not a field of an event line; allowed: claimId, data, eventId, eventType, expectedVersion",
        "{\"eventType\":\"claim.submitted\",\"data\":{},\"claimId\":\"CLM-AAAA0001\"} | claimId | a claim.submitted line opens a new claim: the hub gives it its id and first version; leave it out",
        "{\"eventType\":\"claim.submitted\",\"data\":{},\"expectedVersion\":0}      | expectedVersion | a claim.submitted line opens a new claim: the hub gives it its id and first version; leave it out",
    })
    void aBadEventLineNamesTheField(String line, String field, String message) {
        assertThat(EventValidator.validateEventLine(EventJson.parse(line, "line")))
                .containsExactly(new FieldError(field, message));
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
