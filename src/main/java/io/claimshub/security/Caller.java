package io.claimshub.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who made a request, as the hub authenticated it: {@code subject} is {@code key:<name>} for an API key and
 * {@code oidc:<sub>} for a bearer JWT; {@code adjusterId} is the roster id an adjuster acts as (null for none).
 * The subject is also the {@code actor} of the events the request writes.
 */
public record Caller(String subject, Set<Role> roles, String adjusterId) {

    /**
     * The request header that carries the caller from the HTTP guard to the API's routes. The guard removes any
     * header of this name a client sent before it sets its own, so a route can trust it.
     */
    public static final String HEADER = "X-ClaimsHub-Caller";

    /** Every role: what a request is when {@code hub.api.authentication=off} (benchmarks only). */
    public static final Caller ANONYMOUS = new Caller("anonymous", Role.all(), null);

    public Caller {
        roles = roles.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Role.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Set<Role> wanted) {
        for (Role role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An adjuster who is nothing more: it sees and decides only the claims assigned to it. A supervisor (or an
     * auditor, for reads) is not limited this way.
     */
    public boolean limitedToOwnClaims() {
        return roles.contains(Role.ADJUSTER) && !roles.contains(Role.SUPERVISOR);
    }

    public String roleNames() {
        return roles.stream().map(Role::wireName).collect(Collectors.joining(","));
    }

    /** Base64url of a small JSON object: safe in a header, whatever characters the subject has. */
    public String toHeader() {
        ObjectNode json = EventJson.mapper().createObjectNode().put("subject", subject).put("roles", roleNames());
        if (adjusterId != null) {
            json.put("adjusterId", adjusterId);
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(EventJson.write(json).getBytes(StandardCharsets.UTF_8));
    }

    /** The caller the guard put in the request; null when there is none (a route not behind the guard). */
    public static Caller fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        JsonNode json = EventJson.parse(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8),
                HEADER);
        JsonNode adjuster = json.path("adjusterId");
        return new Caller(json.path("subject").asText(), Role.parseList(json.path("roles").asText()),
                adjuster.isTextual() ? adjuster.textValue() : null);
    }
}
