package io.claimshub.store;

import io.claimshub.claim.ClaimState;
import io.claimshub.claim.Decision;
import io.claimshub.event.EventEnvelope;

/**
 * A check {@link ClaimCommands#push} makes after the lifecycle accepted an event, for rules that depend on
 * configuration rather than on the claim's events (e.g. an adjuster's authority limit). It is checked only when a
 * command is decided, never when a claim is replayed: a later roster change must not make a stored claim unreadable.
 */
@FunctionalInterface
public interface ClaimCommandRule {

    ClaimCommandRule NONE = (state, event) -> Decision.accepted();

    Decision decide(ClaimState state, EventEnvelope event);

    /** This rule, then {@code next} when this one accepts. */
    default ClaimCommandRule and(ClaimCommandRule next) {
        return (state, event) -> decide(state, event) instanceof Decision.Rejected rejected ? rejected
                : next.decide(state, event);
    }
}
