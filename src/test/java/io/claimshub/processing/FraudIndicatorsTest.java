package io.claimshub.processing;

import static io.claimshub.processing.SubmittedClaim.aClaim;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Against the sample rules: tolerance 1 day, max age 365 days, auto usual maximum 20000.00 × 3, 3 claims. */
class FraudIndicatorsTest {

    private final FraudIndicators fraud = new FraudIndicators();
    private final BusinessRules rules = Rosters.sampleRules();

    // every claim here is submitted at 2025-03-10T09:00:00Z unless it says otherwise
    private List<String> indicatorsFor(SubmittedClaim claim) {
        return fraud.indicators(claim.facts(), 1, rules);
    }

    @Test
    void anOrdinaryClaimHasNoIndicators() {
        assertThat(indicatorsFor(aClaim())).isEmpty();
    }

    @Test
    void incidentDatedExactlyAtTheFutureToleranceIsAccepted() {
        assertThat(indicatorsFor(aClaim().incidentOn("2025-03-11"))).isEmpty();
    }

    @Test
    void incidentDatedOneDayBeyondTheFutureToleranceIsFlagged() {
        assertThat(indicatorsFor(aClaim().incidentOn("2025-03-12"))).containsExactly(
                "incident date 2025-03-12 is 2 days after the claim was submitted on 2025-03-10 (tolerance 1 day)");
    }

    @Test
    void claimantAheadOfUtcReportingTodaysIncidentIsAccepted() {
        // given a claimant in Auckland submitting on 11 March local time, still 10 March in UTC
        SubmittedClaim claim = aClaim().submittedAt("2025-03-10T23:30:00Z").incidentOn("2025-03-11");

        assertThat(indicatorsFor(claim)).isEmpty();
    }

    @Test
    void incidentExactlyMaxIncidentAgeBeforeSubmissionIsAccepted() {
        assertThat(indicatorsFor(aClaim().incidentOn("2024-03-10"))).isEmpty();
    }

    @Test
    void incidentOneDayOlderThanMaxIncidentAgeIsFlagged() {
        assertThat(indicatorsFor(aClaim().incidentOn("2024-03-09"))).containsExactly(
                "incident date 2024-03-09 is 366 days before the claim was submitted on 2025-03-10 (limit 365 days)");
    }

    @Test
    void amountExactlyAtFactorTimesUsualMaximumIsAccepted() {
        assertThat(indicatorsFor(aClaim().type("auto").amount("60000.00"))).isEmpty();
    }

    @Test
    void amountOneCentAboveFactorTimesUsualMaximumIsFlagged() {
        assertThat(indicatorsFor(aClaim().type("auto").amount("60000.01"))).containsExactly(
                "amount claimed 60000.01 EUR is more than 3 × the usual maximum of 20000.00 for auto claims");
    }

    @Test
    void usualMaximumIsTakenForTheClaimType() {
        // given 60000.00 is ordinary for property (usual maximum 100000.00) but not for travel (5000.00)
        assertThat(indicatorsFor(aClaim().type("property").amount("60000.00"))).isEmpty();
        assertThat(indicatorsFor(aClaim().type("travel").amount("60000.00"))).hasSize(1);
    }

    @Test
    void oneClaimBelowTheRepeatThresholdIsAccepted() {
        assertThat(fraud.indicators(aClaim().facts(), 2, rules)).isEmpty();
    }

    @Test
    void claimsAtTheRepeatThresholdAreFlagged() {
        assertThat(fraud.indicators(aClaim().facts(), 3, rules))
                .containsExactly("claimant has submitted 3 claims within 30 days (threshold 3)");
    }

    @Test
    void everyIndicatorThatAppliesIsReported() {
        ClaimFacts claim = aClaim().incidentOn("2023-01-01").amount("75000.00").facts();

        assertThat(fraud.indicators(claim, 5, rules)).hasSize(3);
    }
}
