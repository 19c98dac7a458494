package io.claimshub.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The hub's roles (docs/security.md). Their wire names are lower case: {@code intake}, {@code adjuster}, ... */
public enum Role {
    /** submits claims, pushes document and external (payment) events */
    INTAKE,
    /** reads claims and pushes investigation and decision events, only on claims assigned to it */
    ADJUSTER,
    /** every claim, and manual assignment */
    SUPERVISOR,
    /** dead letters, replays, streams, snapshots, analytics rebuilds, metrics */
    OPS,
    /** reads histories, the access audit trail and compliance reports; no writes */
    AUDITOR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String name) {
        try {
            return Role.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + name + "'; roles are " + ALL_WIRE_NAMES);
        }
    }

    public static Set<Role> all() {
        return EnumSet.allOf(Role.class);
    }

    /** Comma-separated names, e.g. {@code intake,adjuster}; unknown names are an error. */
    public static Set<Role> parseList(String names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (names == null) {
            return roles;
        }
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                roles.add(fromWire(name));
            }
        }
        return roles;
    }

    private static final String ALL_WIRE_NAMES = "intake, adjuster, supervisor, ops, auditor";
}
