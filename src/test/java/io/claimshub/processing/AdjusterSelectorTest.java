package io.claimshub.processing;

import static io.claimshub.processing.Rosters.adjuster;
import static io.claimshub.processing.Rosters.autoJunior;
import static io.claimshub.processing.SubmittedClaim.aClaim;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdjusterSelectorTest {

    private final AdjusterSelector selector = new AdjusterSelector();
    private final BusinessRules rules = Rosters.sampleRules();
    private final Workloads idle = Workloads.of(Map.of(), Map.of());

    private Optional<String> chosenFor(ClaimFacts claim, List<Adjuster> adjusters, Workloads workloads) {
        return selector.choose(claim, AdjusterRoster.of(adjusters), rules, workloads).map(Adjuster::id);
    }

    @Test
    void choosesTheEligibleAdjusterWithFewestOpenClaims() {
        // given three eligible adjusters with 5, 2 and 7 open claims
        List<Adjuster> roster = List.of(autoJunior("ADJ-01"), autoJunior("ADJ-02"), autoJunior("ADJ-03"));
        Workloads workloads = Workloads.of(Map.of("ADJ-01", 5, "ADJ-02", 2, "ADJ-03", 7), Map.of());

        // when / expect
        assertThat(chosenFor(aClaim().facts(), roster, workloads)).contains("ADJ-02");
    }

    @Test
    void equalOpenClaimsGoToTheAdjusterWithFewestAssignedToday() {
        // given equal open claims, ADJ-02 already got more claims today
        List<Adjuster> roster = List.of(autoJunior("ADJ-01"), autoJunior("ADJ-02"));
        Workloads workloads = Workloads.of(Map.of("ADJ-01", 3, "ADJ-02", 3), Map.of("ADJ-01", 4, "ADJ-02", 1));

        assertThat(chosenFor(aClaim().facts(), roster, workloads)).contains("ADJ-02");
    }

    @Test
    void fullTieGoesToTheSmallestIdWhateverTheRosterOrder() {
        // given identical workloads and a roster listed out of id order
        List<Adjuster> roster = List.of(autoJunior("ADJ-09"), autoJunior("ADJ-03"), autoJunior("ADJ-05"));
        Workloads workloads = Workloads.of(Map.of("ADJ-09", 1, "ADJ-03", 1, "ADJ-05", 1),
                Map.of("ADJ-09", 2, "ADJ-03", 2, "ADJ-05", 2));

        assertThat(chosenFor(aClaim().facts(), roster, workloads)).contains("ADJ-03");
    }

    @Test
    void skipsAdjustersWhoDoNotHandleTheClaimType() {
        // given the idle adjuster handles only property claims
        List<Adjuster> roster = List.of(
                adjuster("ADJ-01", Set.of("property"), Set.of("north"), Seniority.JUNIOR, 20),
                autoJunior("ADJ-02"));
        Workloads workloads = Workloads.of(Map.of("ADJ-02", 10), Map.of());

        assertThat(chosenFor(aClaim().type("auto").facts(), roster, workloads)).contains("ADJ-02");
    }

    @Test
    void skipsAdjustersOutsideTheClaimRegion() {
        List<Adjuster> roster = List.of(
                adjuster("ADJ-01", Set.of("auto"), Set.of("south"), Seniority.JUNIOR, 20),
                autoJunior("ADJ-02"));
        Workloads workloads = Workloads.of(Map.of("ADJ-02", 10), Map.of());

        assertThat(chosenFor(aClaim().region("north").facts(), roster, workloads)).contains("ADJ-02");
    }

    @Test
    void wildcardRegionCoversAnyRegion() {
        List<Adjuster> roster = List.of(adjuster("ADJ-01", Set.of("auto"), Set.of("*"), Seniority.JUNIOR, 20));

        assertThat(chosenFor(aClaim().region("far-east-islands").facts(), roster, idle)).contains("ADJ-01");
    }

    @Test
    void amountExactlyAtTheSeniorThresholdMayGoToAJunior() {
        // given an idle junior and a busier senior; the threshold is 25000.00
        List<Adjuster> roster = List.of(autoJunior("ADJ-01"),
                adjuster("ADJ-02", Set.of("auto"), Set.of("north"), Seniority.SENIOR, 20));
        Workloads workloads = Workloads.of(Map.of("ADJ-02", 5), Map.of());

        assertThat(chosenFor(aClaim().amount("25000.00").facts(), roster, workloads)).contains("ADJ-01");
    }

    @Test
    void amountOneCentAboveTheSeniorThresholdNeedsASenior() {
        List<Adjuster> roster = List.of(autoJunior("ADJ-01"),
                adjuster("ADJ-02", Set.of("auto"), Set.of("north"), Seniority.SENIOR, 20));
        Workloads workloads = Workloads.of(Map.of("ADJ-02", 5), Map.of());

        assertThat(chosenFor(aClaim().amount("25000.01").facts(), roster, workloads)).contains("ADJ-02");
    }

    @Test
    void adjusterOneClaimBelowCapacityIsStillEligible() {
        List<Adjuster> roster = List.of(adjuster("ADJ-01", Set.of("auto"), Set.of("north"), Seniority.JUNIOR, 4));
        Workloads workloads = Workloads.of(Map.of("ADJ-01", 3), Map.of());

        assertThat(chosenFor(aClaim().facts(), roster, workloads)).contains("ADJ-01");
    }

    @Test
    void adjusterAtCapacityIsSkipped() {
        List<Adjuster> roster = List.of(adjuster("ADJ-01", Set.of("auto"), Set.of("north"), Seniority.JUNIOR, 4));
        Workloads workloads = Workloads.of(Map.of("ADJ-01", 4), Map.of());

        assertThat(chosenFor(aClaim().facts(), roster, workloads)).isEmpty();
    }

    @Test
    void nobodyEligibleGivesNoChoice() {
        // given only juniors and a claim that needs a senior
        List<Adjuster> roster = List.of(autoJunior("ADJ-01"), autoJunior("ADJ-02"));

        assertThat(chosenFor(aClaim().amount("90000.00").facts(), roster, idle)).isEmpty();
    }

    @Test
    void sampleRosterAssignsALargeNorthernAutoClaimToASenior() {
        // given the shipped roster: ADJ-01 (senior, north) and ADJ-08 (senior, everywhere) qualify
        AdjusterRoster sample = AdjusterRoster.load(Rosters.SAMPLE_ROSTER);
        Workloads workloads = Workloads.of(Map.of("ADJ-01", 12, "ADJ-08", 3), Map.of());

        Optional<Adjuster> chosen = selector.choose(aClaim().amount("40000.00").facts(), sample, rules, workloads);

        assertThat(chosen).map(Adjuster::id).contains("ADJ-08");
    }
}
