package io.claimshub.security;

import static io.claimshub.security.Role.ADJUSTER;
import static io.claimshub.security.Role.AUDITOR;
import static io.claimshub.security.Role.INTAKE;
import static io.claimshub.security.Role.OPS;
import static io.claimshub.security.Role.SUPERVISOR;

import io.claimshub.event.EventType;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one table of who may call what (docs/security.md, "Roles"): every REST operation of the API port by method and
 * path, the management port, and which roles may push which event type. A REST operation of the hub that no row
 * matches is refused with 403 whatever the caller's roles (a new endpoint is closed until it has a row here, and the
 * hub names it at start); a path that is no operation at all is a 404 for an authenticated caller. A row with no
 * roles is open to any authenticated caller; a {@link Access#PUBLIC} row needs no credentials at all.
 */
public final class AccessPolicy {

    /** How a request is let in. */
    public enum Access { PUBLIC, AUTHENTICATED, ROLES }

    /**
     * One row: {@code method} ({@code *} any) and a path template whose {@code {name}} parts match one segment.
     * {@code ownClaimsOnly}: an adjuster without the supervisor role may use it only on claims assigned to it
     * (checked by the API against the claim, see {@link Caller#limitedToOwnClaims()}).
     */
    public record Rule(String method, String path, Access access, Set<Role> roles, boolean ownClaimsOnly,
                       String description) {

        boolean matches(String requestMethod, String requestPath) {
            return ("*".equals(method) || method.equals(requestMethod)) && pattern(path).matcher(requestPath).matches();
        }

        public boolean allows(Caller caller) {
            return access != Access.ROLES || caller.hasAny(roles);
        }
    }

    private static Rule rule(String method, String path, String description, Role... roles) {
        return new Rule(method, path, Access.ROLES, EnumSet.copyOf(List.of(roles)), false, description);
    }

    /** A rule whose adjusters see only their own claims (other roles listed see every claim). */
    private static Rule ownClaims(String method, String path, String description, Role... roles) {
        return new Rule(method, path, Access.ROLES, EnumSet.copyOf(List.of(roles)), true, description);
    }

    /** The REST API (camel.server.port). */
    public static final List<Rule> API = List.of(
            rule("POST", "/api/claims", "submit a claim", INTAKE, SUPERVISOR),
            ownClaims("POST", "/api/claims/{claimId}/events", "push an event (the event type's roles below)",
                    INTAKE, ADJUSTER, SUPERVISOR),
            ownClaims("GET", "/api/claims/{claimId}", "read a claim", INTAKE, ADJUSTER, SUPERVISOR, AUDITOR),
            ownClaims("GET", "/api/claims/{claimId}/events", "a claim's history", ADJUSTER, SUPERVISOR, AUDITOR),
            ownClaims("GET", "/api/claims/{claimId}/notifications", "a claim's notifications",
                    ADJUSTER, SUPERVISOR, AUDITOR, OPS),
            rule("GET", "/api/claims/{claimId}/verify", "check a claim's hash chain", SUPERVISOR, AUDITOR, OPS),
            rule("GET", "/api/sla/breaches", "recent SLA breaches", SUPERVISOR, OPS, AUDITOR),
            rule("GET", "/api/assignment/unassigned", "claims waiting for an adjuster", SUPERVISOR, OPS),
            rule("GET", "/api/analytics/daily/{date}", "daily analytics", SUPERVISOR, AUDITOR),
            rule("GET", "/api/analytics/hourly/{date}", "hourly analytics", SUPERVISOR, AUDITOR),
            rule("GET", "/api/analytics/processing-times/{date}", "processing times", SUPERVISOR, AUDITOR),
            rule("GET", "/api/analytics/leaderboards/{board}", "leaderboards", SUPERVISOR, AUDITOR),
            rule("GET", "/api/analytics/rebuild", "the analytics rebuild's state", OPS),
            rule("POST", "/api/analytics/rebuild", "rebuild the analytics from the log", OPS),
            rule("GET", "/api/reports/compliance/{date}", "the daily compliance report", AUDITOR),
            rule("GET", "/api/audit", "the access audit trail", AUDITOR),
            rule("DELETE", "/api/claimants/{claimantId}/personal-data", "erase a claimant's personal data",
                    SUPERVISOR),
            rule("GET", "/api/ops/dead-letters", "list dead letters", OPS),
            rule("GET", "/api/ops/dead-letters/{id}", "show a dead letter", OPS),
            rule("POST", "/api/ops/dead-letters/{id}/replay", "replay a dead letter", OPS),
            rule("POST", "/api/ops/dead-letters/replay", "replay a selection of dead letters", OPS),
            rule("POST", "/api/ops/dead-letters/{id}/discard", "discard a dead letter", OPS),
            rule("POST", "/api/ops/groups/{group}/position", "move a consumer group's position", OPS),
            rule("GET", "/api/ops/streams", "the log's streams and archive", OPS),
            rule("POST", "/api/ops/replays", "replay a range of the log", OPS),
            rule("GET", "/api/ops/snapshots/consistency", "check snapshots against their streams", OPS),
            rule("POST", "/api/ops/snapshots/rebuild", "rebuild snapshots", OPS),
            rule("POST", "/api/ops/personal-data/rotate-master-key", "rewrap the data keys under the new master key",
                    OPS),
            rule("GET", "/api/ops/notifications/dead-letters", "list a notification channel's dead letters", OPS),
            rule("GET", "/api/ops/notifications/dead-letters/{channel}/{id}", "show a notification dead letter", OPS),
            rule("POST", "/api/ops/notifications/dead-letters/{channel}/{id}/replay", "replay a notification", OPS),
            rule("POST", "/api/ops/notifications/dead-letters/{channel}/{id}/confirm-sent",
                    "confirm a notification of unknown fate as sent", OPS),
            rule("POST", "/api/ops/notifications/dead-letters/{channel}/{id}/discard",
                    "discard a notification dead letter", OPS),
            new Rule("GET", "/api/openapi.json", Access.AUTHENTICATED, Set.of(), false, "the OpenAPI document"),
            // signed by the payment partner (HMAC over the body, checked by the adapter), which holds no API key
            new Rule("POST", "/api/payments/callback", Access.PUBLIC, Set.of(), false,
                    "payment partner's callback (HMAC-signed)"));

    /** The management port (camel.management.port): health open for load balancers, the rest for ops. */
    public static final List<Rule> MANAGEMENT = List.of(
            new Rule("*", "/observe/health", Access.PUBLIC, Set.of(), false, "health, for load balancers"),
            new Rule("*", "/observe/health/{check}", Access.PUBLIC, Set.of(), false, "one health check"),
            rule("*", "/observe/metrics", "Prometheus metrics", OPS));

    /** Anything else on the management port (info, Jolokia, dev consoles when enabled). */
    public static final Rule MANAGEMENT_OTHERWISE = rule("*", "/**", "anything else on the management port", OPS);

    /** Who may push which event type on {@code POST /api/claims/{claimId}/events} (besides the row above). */
    public static final Map<EventType, Set<Role>> PUSH = Map.of(
            EventType.CLAIM_DOCUMENT_UPLOADED, EnumSet.of(INTAKE, ADJUSTER, SUPERVISOR),
            EventType.CLAIM_PAYMENT_INITIATED, EnumSet.of(INTAKE, SUPERVISOR),
            EventType.CLAIM_PAYMENT_COMPLETED, EnumSet.of(INTAKE, SUPERVISOR),
            EventType.CLAIM_INVESTIGATED, EnumSet.of(ADJUSTER, SUPERVISOR),
            EventType.CLAIM_APPROVED, EnumSet.of(ADJUSTER, SUPERVISOR),
            EventType.CLAIM_REJECTED, EnumSet.of(ADJUSTER, SUPERVISOR),
            EventType.CLAIM_ASSIGNED, EnumSet.of(SUPERVISOR));

    private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    private AccessPolicy() {
    }

    /**
     * The hub's REST operations without a row, as {@code METHOD /path/{param}} rows that no role may use: the guard
     * refuses them. Empty when every operation is in the table.
     */
    public static List<Rule> unlisted(List<String[]> operations) {
        List<Rule> unlisted = new java.util.ArrayList<>();
        for (String[] operation : operations) {
            String sample = operation[1].replaceAll("\\{[^}/]+}", "x");
            if (api(operation[0], sample).isEmpty()) {
                unlisted.add(new Rule(operation[0].toUpperCase(Locale.ROOT), operation[1], Access.ROLES, Set.of(),
                        false, "a REST operation with no row in AccessPolicy"));
            }
        }
        return unlisted;
    }

    /** The API row for a request; empty: no row (refused). */
    public static Optional<Rule> api(String method, String path) {
        return find(API, method, path);
    }

    public static Rule management(String method, String path) {
        return find(MANAGEMENT, method, path).orElse(MANAGEMENT_OTHERWISE);
    }

    /**
     * Whether the caller gets in only through its adjuster role (no other of the {@code allowed} roles): then it may
     * act only on claims assigned to it.
     */
    public static boolean onlyAsAdjuster(Caller caller, Set<Role> allowed) {
        if (!caller.has(ADJUSTER) || !allowed.contains(ADJUSTER)) {
            return false;
        }
        for (Role role : allowed) {
            if (role != ADJUSTER && caller.has(role)) {
                return false;
            }
        }
        return true;
    }

    /** Roles that may push the event type; a type with no row (submitted, SLA breach) only a supervisor. */
    public static Set<Role> pushRoles(EventType type) {
        return PUSH.getOrDefault(type, EnumSet.of(SUPERVISOR));
    }

    static Optional<Rule> find(List<Rule> rules, String method, String path) {
        String normalised = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String upper = method.toUpperCase(Locale.ROOT);
        for (Rule rule : rules) {
            if (rule.matches(upper, normalised)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private static Pattern pattern(String template) {
        return PATTERNS.computeIfAbsent(template,
                t -> Pattern.compile(Pattern.quote(t).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")));
    }
}
