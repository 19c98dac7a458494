package io.claimshub.store;

import io.claimshub.claim.ClaimState;
import io.claimshub.event.StoredEvent;

/**
 * What the processors' snapshot step hands to the next step: the global-log event it was given (checked to be the
 * very entry its claim's stream holds) and the claim's state as its stream stood when the snapshot was caught up,
 * which may already be past that event. Later steps decide on this state; the append's expected version still decides
 * every race.
 */
public record CaughtUpClaim(StoredEvent event, ClaimState state) {
}
