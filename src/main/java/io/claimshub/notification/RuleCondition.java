package io.claimshub.notification;

import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.ClaimType;
import io.claimshub.event.Priority;
import java.math.BigDecimal;
import java.util.Set;

/**
 * A rule's optional {@code when}: every given part must hold (an empty set or null bound is no constraint). The
 * amount is the approved amount once there is one, else the amount claimed.
 */
public record RuleCondition(Set<ClaimType> claimTypes, Set<String> regions, Set<Priority> priorities,
                            Set<ClaimStatus> statuses, BigDecimal amountAbove, BigDecimal amountBelow) {

    public static final RuleCondition ALWAYS = new RuleCondition(Set.of(), Set.of(), Set.of(), Set.of(), null, null);

    public boolean matches(ClaimState claim) {
        if (!claimTypes.isEmpty() && !claimTypes.contains(claim.claimType())) {
            return false;
        }
        if (!regions.isEmpty() && !regions.contains(claim.region())) {
            return false;
        }
        if (!priorities.isEmpty() && !priorities.contains(claim.priority())) {
            return false;
        }
        if (!statuses.isEmpty() && !statuses.contains(claim.status())) {
            return false;
        }
        BigDecimal amount = claim.approvedAmount() != null ? claim.approvedAmount() : claim.amountClaimed();
        if (amountAbove != null && (amount == null || amount.compareTo(amountAbove) <= 0)) {
            return false;
        }
        return amountBelow == null || (amount != null && amount.compareTo(amountBelow) < 0);
    }
}
