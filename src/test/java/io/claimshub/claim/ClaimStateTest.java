package io.claimshub.claim;

import static io.claimshub.claim.ClaimHistory.claimIn;
import static io.claimshub.claim.ClaimHistory.given;
import static io.claimshub.event.ClaimEventFixtures.CLAIMED;
import static io.claimshub.event.ClaimEventFixtures.CLAIM_ID;
import static io.claimshub.event.ClaimEventFixtures.SUBMITTED_AT;
import static io.claimshub.event.ClaimEventFixtures.approval;
import static io.claimshub.event.ClaimEventFixtures.assignment;
import static io.claimshub.event.ClaimEventFixtures.documentUpload;
import static io.claimshub.event.ClaimEventFixtures.event;
import static io.claimshub.event.ClaimEventFixtures.investigation;
import static io.claimshub.event.ClaimEventFixtures.paymentCompletion;
import static io.claimshub.event.ClaimEventFixtures.paymentInitiation;
import static io.claimshub.event.ClaimEventFixtures.rejection;
import static io.claimshub.event.ClaimEventFixtures.slaBreach;
import static io.claimshub.event.ClaimEventFixtures.submission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.ClaimType;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.event.Money;
import io.claimshub.event.Priority;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClaimStateTest {

    private final ClaimLifecycle lifecycle = new ClaimLifecycle();

    @Test
    void submissionOpensTheClaimWithItsDetails() {
        EventEnvelope submitted = event(submission());

        ClaimState claim = lifecycle.apply(null, submitted, 1);

        assertThat(claim.claimId()).isEqualTo(CLAIM_ID);
        assertThat(claim.status()).isEqualTo(ClaimStatus.SUBMITTED);
        assertThat(claim.version()).isEqualTo(1);
        assertThat(claim.lastEventId()).isEqualTo(submitted.eventId());
        assertThat(claim.lastEventAt()).isEqualTo(SUBMITTED_AT);
        assertThat(claim.submittedAt()).isEqualTo(SUBMITTED_AT);
        assertThat(claim.policyNumber()).isEqualTo("POL-123456");
        assertThat(claim.claimType()).isEqualTo(ClaimType.AUTO);
        assertThat(claim.incidentDate()).isEqualTo(LocalDate.parse("2026-02-27"));
        assertThat(claim.claimedMoney()).isEqualTo(CLAIMED);
        assertThat(claim.claimantName()).isEqualTo("Ada Lovelace");
        assertThat(claim.claimantEmail()).isEqualTo("ada@example.com");
        assertThat(claim.claimantPhone()).isEqualTo("+447700900123");
        assertThat(claim.region()).isEqualTo("eu-west");
        assertThat(claim.priority()).isEqualTo(Priority.NORMAL);
        assertThat(claim.documentsCount()).isZero();
        assertThat(claim.investigationRequired()).isFalse();
    }

    @Test
    void assignmentSetsTheAdjusterAndDeadline() {
        ClaimState claim = given(claimIn(ClaimStatus.SUBMITTED), assignment());

        assertThat(claim.status()).isEqualTo(ClaimStatus.ASSIGNED);
        assertThat(claim.version()).isEqualTo(2);
        assertThat(claim.assigneeId()).isEqualTo("ADJ-042");
        assertThat(claim.assigneeName()).isEqualTo("Grace Hopper");
        assertThat(claim.assignedAt()).isEqualTo(Instant.parse("2026-03-02T09:05:00Z"));
        assertThat(claim.slaDeadline()).isEqualTo(Instant.parse("2026-03-04T09:05:00Z"));
    }

    @Test
    void reassignmentReplacesTheAdjusterAndClearsAnEarlierBreach() {
        ClaimState claim = given(claimIn(ClaimStatus.ASSIGNED), slaBreach(), assignment("ADJ-007", "Katherine Johnson"));

        assertThat(claim.status()).isEqualTo(ClaimStatus.ASSIGNED);
        assertThat(claim.assigneeId()).isEqualTo("ADJ-007");
        assertThat(claim.slaBreachedAt()).isNull();
    }

    @Test
    void documentsInvestigationsAndBreachesLeaveTheStatusAlone() {
        ClaimState claim = given(claimIn(ClaimStatus.ASSIGNED), documentUpload(), documentUpload(),
                investigation(InvestigationOutcome.INCONCLUSIVE), slaBreach());

        assertThat(claim.status()).isEqualTo(ClaimStatus.ASSIGNED);
        assertThat(claim.documentsCount()).isEqualTo(2);
        assertThat(claim.investigationOutcome()).isEqualTo(InvestigationOutcome.INCONCLUSIVE);
        assertThat(claim.slaBreachedAt()).isEqualTo(Instant.parse("2026-03-04T09:06:00Z"));
        assertThat(claim.version()).isEqualTo(6);
    }

    @Test
    void approvalRecordsTheApprovedAmount() {
        ClaimState claim = given(claimIn(ClaimStatus.ASSIGNED), approval(Money.of("1200.50", "EUR")));

        assertThat(claim.status()).isEqualTo(ClaimStatus.APPROVED);
        assertThat(claim.approvedMoney()).isEqualTo(Money.of("1200.50", "EUR"));
        assertThat(claim.approvedAt()).isEqualTo(SUBMITTED_AT);
    }

    @Test
    void rejectionRecordsTheReasonAndIsFinal() {
        ClaimState claim = given(claimIn(ClaimStatus.ASSIGNED), rejection());

        assertThat(claim.status()).isEqualTo(ClaimStatus.REJECTED);
        assertThat(claim.rejectionReasonCode()).isEqualTo("POLICY_EXCLUSION");
        assertThat(claim.rejectionReasonText()).isEqualTo("Racing is not covered");
        assertThat(claim.rejectedAt()).isNotNull();
        assertThat(claim.isFinal()).isTrue();
    }

    @Test
    void paymentMovesTheClaimToPaid() {
        ClaimState initiated = given(claimIn(ClaimStatus.APPROVED), paymentInitiation(Money.of("900.00", "EUR")));
        ClaimState paid = given(initiated, paymentCompletion("PAY-0001"));

        assertThat(initiated.status()).isEqualTo(ClaimStatus.PAYMENT_INITIATED);
        assertThat(initiated.paymentAmount()).isEqualByComparingTo("900.00");
        assertThat(initiated.paymentInitiatedAt()).isNotNull();
        assertThat(paid.status()).isEqualTo(ClaimStatus.PAID);
        assertThat(paid.paidAt()).isEqualTo(Instant.parse("2026-03-06T12:00:00Z"));
        assertThat(paid.isFinal()).isTrue();
    }

    @Test
    void requiringAnInvestigationRecordsTheReason() {
        ClaimState claim = claimIn(ClaimStatus.SUBMITTED).requireInvestigation("fraud score 0.91");

        assertThat(claim.investigationRequired()).isTrue();
        assertThat(claim.investigationReason()).isEqualTo("fraud score 0.91");
        assertThat(claim.awaitsInvestigationClearance()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ClaimStatus.class)
    void hashFieldsRoundTrip(ClaimStatus status) {
        ClaimState claim = claimIn(status);

        assertThat(ClaimState.fromFields(claim.toFields())).isEqualTo(claim);
    }

    @Test
    void aFullyPopulatedSnapshotRoundTripsThroughHashFields() {
        ClaimState claim = given(claimIn(ClaimStatus.ASSIGNED), documentUpload(), slaBreach(),
                investigation(InvestigationOutcome.CLEARED))
                .requireInvestigation("manual review");

        assertThat(ClaimState.fromFields(claim.toFields())).isEqualTo(claim);
    }

    @Test
    void hashFieldsAreStringsWithAbsentValuesLeftOut() {
        Map<String, String> fields = claimIn(ClaimStatus.PAYMENT_INITIATED).toFields();

        assertThat(fields)
                .containsEntry("claimId", CLAIM_ID)
                .containsEntry("status", "payment_initiated")
                .containsEntry("version", "4")
                .containsEntry("amountClaimed", "1500.00")
                .containsEntry("currency", "EUR")
                .containsEntry("approvedAmount", "1500.00")
                .containsEntry("incidentDate", "2026-02-27")
                .containsEntry("submittedAt", "2026-03-02T09:00:00Z")
                .containsEntry("claimType", "auto")
                .containsEntry("investigationRequired", "false")
                .containsEntry("documentsCount", "0")
                .doesNotContainKeys("rejectionReasonCode", "paidAt", "slaBreachedAt", "investigationOutcome");
        assertThat(fields.values()).doesNotContainNull().doesNotContain("null");
    }

    @Test
    void hashFieldNamesAreTheJsonNames() {
        ClaimState claim = given(claimIn(ClaimStatus.ASSIGNED), slaBreach());
        JsonNode json = EventJson.toObjectNode(claim);
        Set<String> jsonNames = new TreeSet<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            jsonNames.add(names.next());
        }

        assertThat(new TreeSet<>(claim.toFields().keySet())).isEqualTo(jsonNames);
        assertThat(EventJson.mapper().convertValue(json, ClaimState.class)).isEqualTo(claim);
    }

    @Test
    void fieldsUnknownToThisHubAreIgnored() {
        Map<String, String> fields = new HashMap<>(claimIn(ClaimStatus.SUBMITTED).toFields());
        fields.put("fraudScore", "0.12");

        assertThat(ClaimState.fromFields(fields).status()).isEqualTo(ClaimStatus.SUBMITTED);
    }

    @Test
    void anUnreadableHashIsReportedWithTheClaimId() {
        Map<String, String> fields = new HashMap<>(claimIn(ClaimStatus.SUBMITTED).toFields());
        fields.put("version", "seven");

        assertThatThrownBy(() -> ClaimState.fromFields(fields))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unreadable claim snapshot CLM-7Q2K9XAB");
    }

}
