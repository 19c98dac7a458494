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

    /**
     * The policy side of an approval (docs/adapters.md): refused while the policy check is pending, when the policy
     * does not cover the claim, and above the coverage limit less the deductible.
     *
     * @param policyCheck {@code pending}, {@code covered} or {@code not-covered}
     * @param payableOrNull coverage limit less deductible, when the claim is covered
     */
    public Optional<String> coverageRefusal(BigDecimal approvedAmount, String policyCheck, String reasonOrNull,
                                            BigDecimal payableOrNull, String currency) {
        return switch (policyCheck) {
            case "covered" -> payableOrNull != null && approvedAmount.compareTo(payableOrNull) > 0
                    ? Optional.of("approval of " + money(approvedAmount) + " " + currency
                            + " exceeds what the policy pays: coverage limit less deductible is "
                            + money(payableOrNull) + " " + currency)
                    : Optional.empty();
            case "not-covered" -> Optional.of("the policy does not cover the claim"
                    + (reasonOrNull == null ? "" : " (" + reasonOrNull + ")"));
            default -> Optional.of("policy check pending: the claim cannot be approved until the policy system has"
                    + " confirmed its cover");
        };
    }

    // at least two decimals, never rounded: 12000 reads as 12000.00, 12000.005 stays as written
    private static String money(BigDecimal amount) {
        return amount.setScale(Math.max(2, amount.scale())).toPlainString();
    }
}
