package io.claimshub.processing;

/** Seniors may take claims above the senior threshold; juniors may not. */
public enum Seniority {
    JUNIOR,
    SENIOR
}
