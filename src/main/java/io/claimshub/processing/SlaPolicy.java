package io.claimshub.processing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * How long an adjuster has, from assignment, to decide a claim; loaded from {@code config/sla.yaml}.
 * A claim type without its own entry for a priority falls back to the default for that priority.
 */
public final class SlaPolicy {

    private final Map<String, Duration> defaults;
    private final Map<String, Map<String, Duration>> byClaimType;

    /**
     * @param defaults    decision time per priority; must cover every priority
     * @param byClaimType per claim type, decision times for some or all priorities
     */
    public SlaPolicy(Map<String, Duration> defaults, Map<String, Map<String, Duration>> byClaimType) {
        for (String priority : ClaimFacts.PRIORITIES) {
            if (!defaults.containsKey(priority)) {
                throw new IllegalArgumentException("defaults has no decision time for priority '" + priority + "'");
            }
        }
        checkPriorities("defaults", defaults);
        byClaimType.forEach((type, times) -> {
            if (!ClaimFacts.CLAIM_TYPES.contains(type)) {
                throw new IllegalArgumentException("deadlines names unknown claim type '" + type
                        + "' (known: " + ClaimFacts.CLAIM_TYPES + ")");
            }
            checkPriorities("deadlines." + type, times);
        });
        this.defaults = Map.copyOf(defaults);
        Map<String, Map<String, Duration>> copy = new HashMap<>();
        byClaimType.forEach((type, times) -> copy.put(type, Map.copyOf(times)));
        this.byClaimType = Map.copyOf(copy);
    }

    /**
     * Reads an SLA file of the form {@code defaults: {normal: PT120H, urgent: PT48H}} and
     * {@code deadlines: {auto: {normal: PT72H, urgent: PT24H}, ...}}.
     *
     * @throws InvalidConfigurationException naming the file and the entry at fault
     */
    public static SlaPolicy load(Path file) {
        ConfigNode root = ConfigNode.read(file);
        root.allowOnly("defaults", "deadlines");
        Map<String, Duration> defaults = priorities(root.object("defaults"));
        Map<String, Map<String, Duration>> byClaimType = new HashMap<>();
        if (root.has("deadlines")) {
            ConfigNode deadlines = root.object("deadlines");
            for (String type : deadlines.fieldNames()) {
                byClaimType.put(type, priorities(deadlines.object(type)));
            }
        }
        try {
            return new SlaPolicy(defaults, byClaimType);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(file, e.getMessage(), e);
        }
    }

    public Duration decisionTime(String claimType, String priority) {
        Duration specific = byClaimType.getOrDefault(claimType, Map.of()).get(priority);
        return specific != null ? specific : defaults.get(priority);
    }

    public Instant deadline(ClaimFacts claim, Instant assignedAt) {
        return assignedAt.plus(decisionTime(claim.claimType(), claim.priority()));
    }

    private static Map<String, Duration> priorities(ConfigNode node) {
        Map<String, Duration> times = new HashMap<>();
        for (String priority : node.fieldNames()) {
            times.put(priority, node.duration(priority));
        }
        return times;
    }

    private static void checkPriorities(String where, Map<String, Duration> times) {
        times.forEach((priority, time) -> {
            if (!ClaimFacts.PRIORITIES.contains(priority)) {
                throw new IllegalArgumentException(where + " names unknown priority '" + priority
                        + "' (known: " + ClaimFacts.PRIORITIES + ")");
            }
            if (time.isNegative() || time.isZero()) {
                throw new IllegalArgumentException(where + "." + priority + " must be a positive duration, was " + time);
            }
        });
    }
}
