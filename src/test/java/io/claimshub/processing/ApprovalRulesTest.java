package io.claimshub.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalRulesTest {

    private final ApprovalRules approvals = new ApprovalRules();

    // authority limit 10000.00
    private final Adjuster jonas = new Adjuster("ADJ-07", "Jonas Weber", "jonas.weber@claimshub.example",
            "+41 44 555 01 07", Set.of("auto"), Set.of("south"), Seniority.JUNIOR, new BigDecimal("10000.00"), 25);

    @Test
    void approvalEqualToTheAuthorityLimitStands() {
        assertThat(approvals.refusal(new BigDecimal("10000.00"), jonas, false, null)).isEmpty();
    }

    @Test
    void approvalOneCentOverTheAuthorityLimitIsRefused() {
        assertThat(approvals.refusal(new BigDecimal("10000.01"), jonas, false, null))
                .contains("approval of 10000.01 exceeds adjuster ADJ-07's authority limit of 10000.00");
    }

    @Test
    void refusalShowsAWholeAmountWithCents() {
        assertThat(approvals.refusal(new BigDecimal("12000"), jonas, false, null))
                .contains("approval of 12000.00 exceeds adjuster ADJ-07's authority limit of 10000.00");
    }

    @Test
    void zeroApprovalIsRefused() {
        assertThat(approvals.refusal(BigDecimal.ZERO, jonas, false, null))
                .contains("approved amount must be greater than zero, was 0.00");
    }

    @Test
    void requiredInvestigationNotYetCompletedBlocksApproval() {
        assertThat(approvals.refusal(new BigDecimal("500.00"), jonas, true, null))
                .contains("investigation required before approval and none has been completed");
    }

    @Test
    void requiredInvestigationWithAnOutcomeOtherThanClearedBlocksApproval() {
        assertThat(approvals.refusal(new BigDecimal("500.00"), jonas, true, "inconclusive"))
                .contains("investigation required before approval and its outcome is 'inconclusive', not 'cleared'");
    }

    @Test
    void clearedInvestigationAllowsApproval() {
        assertThat(approvals.refusal(new BigDecimal("500.00"), jonas, true, ApprovalRules.CLEARED)).isEmpty();
    }

    @Test
    void investigationOutcomeDoesNotMatterWhenNoneWasRequired() {
        assertThat(approvals.refusal(new BigDecimal("500.00"), jonas, false, "inconclusive")).isEmpty();
    }

    @Test
    void everyReasonIsGivenWhenSeveralApply() {
        assertThat(approvals.refusal(new BigDecimal("10000.01"), jonas, true, null)).contains(
                "approval of 10000.01 exceeds adjuster ADJ-07's authority limit of 10000.00; "
                        + "investigation required before approval and none has been completed");
    }
}
