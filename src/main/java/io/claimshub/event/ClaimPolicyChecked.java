package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code claim.policy.checked}, a hub extension recorded by the policy adapter: whether the policy in the
 * policy administration system covers the claim. {@code policyStatus} is the policy's standing on the incident date
 * ({@code in-force}, {@code lapsed}, {@code not-yet-in-force}, {@code cancelled}, {@code not-found}); limit and
 * deductible are there when the policy covers the claim type; {@code reason} says why a claim is not covered.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimPolicyChecked(
        Boolean covered,
        String policyStatus,
        Money coverageLimit,
        Money deductible,
        String reason) implements ClaimEventData {

    @Override
    public EventType eventType() {
        return EventType.CLAIM_POLICY_CHECKED;
    }
}
