package io.claimshub.processing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Decides whether an adjuster's approval may stand. */
public final class ApprovalRules {

    /** The investigation outcome that lets a flagged claim be approved; any other outcome blocks it. */
    public static final String CLEARED = "cleared";

    /**
     * @param investigationOutcomeOrNull the outcome of the latest investigation, null when none has finished
     * @return why the approval is refused, empty when it may stand; several reasons are joined with "; "
     */
    public Optional<String> refusal(BigDecimal approvedAmount, Adjuster assignee, boolean investigationRequired,
                                    String investigationOutcomeOrNull) {
        List<String> reasons = new ArrayList<>();
        if (approvedAmount.signum() <= 0) {
            reasons.add("approved amount must be greater than zero, was " + money(approvedAmount));
        }
        if (approvedAmount.compareTo(assignee.authorityLimit()) > 0) {
            reasons.add("approval of " + money(approvedAmount) + " exceeds adjuster " + assignee.id()
                    + "'s authority limit of " + money(assignee.authorityLimit()));
        }
        if (investigationRequired && !CLEARED.equals(investigationOutcomeOrNull)) {
            reasons.add(investigationOutcomeOrNull == null
                    ? "investigation required before approval and none has been completed"
                    : "investigation required before approval and its outcome is '" + investigationOutcomeOrNull
                            + "', not '" + CLEARED + "'");
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    // at least two decimals, never rounded: 12000 reads as 12000.00, 12000.005 stays as written
    private static String money(BigDecimal amount) {
        return amount.setScale(Math.max(2, amount.scale())).toPlainString();
    }
}
