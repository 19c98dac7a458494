package io.claimshub.security;

import io.claimshub.api.ApiResponse;
import io.claimshub.api.Problems;
import io.claimshub.event.EventJson;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one building block every HTTP request passes before any route: a Vert.x handler on the API router (and, for
 * the management port, {@link #management()}). It authenticates the request (an API key in {@code X-API-Key}, or an
 * {@code Authorization: Bearer} JWT, or an API key as a bearer token for clients that can only send that), checks
 * the caller's roles against {@link AccessPolicy}, applies the caller's rate limit, and hands the caller to the
 * route in the {@link Caller#HEADER} request header (any such header the client sent is removed first). Every
 * {@code /api} request is recorded in the {@link AccessAudit} once its answer is sent. Redis lookups (a key not in
 * the cache) and token checks (the JWKS may be fetched) run on a worker thread, never on the event loop.
 */
public final class ApiGuard {

    public static final String API_KEY_HEADER = "X-API-Key";
    /** The routing context's entry for the authenticated caller (read by the audit record). */
    private static final String CALLER = "claimshub.caller";
    private static final AccessPolicy.Rule NOT_AN_OPERATION = new AccessPolicy.Rule("*", "/**",
            AccessPolicy.Access.AUTHENTICATED, java.util.Set.of(), false, "no such operation");
    private static final Pattern CLAIM_PATH = Pattern.compile("^/api/claims/(CLM-[A-Z0-9]{8})(?:/.*)?$");

    private final ApiKeys apiKeys;
    private final JwtVerifier jwt;
    private final RateLimiter limiter;
    private final AccessAudit audit;
    private final boolean required;
    private final Function<String, Optional<String>> assigneeOf;
    private volatile boolean installed;
    private volatile List<AccessPolicy.Rule> unlisted = List.of();

    /**
     * @param jwt null when no JWKS is configured (bearer JWTs are then refused)
     * @param assigneeOf a claim's adjuster id ("" while unassigned), empty for no such claim (blocking)
     */
    public ApiGuard(ApiKeys apiKeys, JwtVerifier jwt, RateLimiter limiter, AccessAudit audit, boolean required,
                    Function<String, Optional<String>> assigneeOf) {
        this.assigneeOf = assigneeOf;
        this.apiKeys = apiKeys;
        this.jwt = jwt;
        this.limiter = limiter;
        this.audit = audit;
        this.required = required;
    }

    /** Whether the handler is on the API router yet (until then the API's routes refuse every request). */
    public boolean installed() {
        return installed;
    }

    public void markInstalled() {
        installed = true;
    }

    /** REST operations with no row in {@link AccessPolicy}: refused for every role. */
    public void refuse(List<AccessPolicy.Rule> operations) {
        unlisted = List.copyOf(operations);
    }

    /** The handler for the API port's router. */
    public Handler<RoutingContext> api() {
        return routing -> {
            HttpServerRequest request = routing.request();
            request.headers().remove(Caller.HEADER);
            String method = request.method().name();
            String path = request.path() == null ? "" : request.path();
            if (path.startsWith("/api")) {
                String source = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
                routing.addEndHandler(done -> audit.record(routing.get(CALLER), method, path, claimId(path),
                        routing.response().getStatusCode(), source));
            }
            Optional<AccessPolicy.Rule> rule = AccessPolicy.api(method, path)
                    .or(() -> AccessPolicy.find(unlisted, method, path))
                    // no operation at all: any authenticated caller is told 404 by the router
                    .or(() -> Optional.of(NOT_AN_OPERATION));
            guard(routing, rule.get());
        };
    }

    /** The handler for the management port: health open, everything else needs {@code ops}. */
    public Handler<RoutingContext> management() {
        return routing -> {
            HttpServerRequest request = routing.request();
            guard(routing, AccessPolicy.management(request.method().name(),
                    request.path() == null ? "" : request.path()));
        };
    }

    private void guard(RoutingContext routing, AccessPolicy.Rule rule) {
        if (rule != null && rule.access() == AccessPolicy.Access.PUBLIC) {
            routing.next();
            return;
        }
        if (!required) {
            admit(routing, Caller.ANONYMOUS, rule);
            return;
        }
        HttpServerRequest request = routing.request();
        String apiKey = request.getHeader(API_KEY_HEADER);
        String authorization = request.getHeader("Authorization");
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (apiKey == null && bearer != null && bearer.startsWith(ApiKeys.PREFIX)) {
            apiKey = bearer;
            bearer = null;
        }
        if (apiKey != null) {
            String key = apiKey.trim();
            Optional<Optional<ApiKeys.ApiKey>> cached = apiKeys.cached(key);
            if (cached.isPresent()) {
                decide(routing, cached.get().map(ApiKeys.ApiKey::caller), rule, "unknown or revoked API key");
            } else {
                // the body is read by the route's body handler, which resumes the request: nothing may be lost while
                // the lookup runs
                routing.request().pause();
                routing.vertx().<Optional<Caller>>executeBlocking(() -> apiKeys.lookup(key).map(ApiKeys.ApiKey::caller),
                        false).onComplete(result -> {
                            if (result.succeeded()) {
                                decide(routing, result.result(), rule, "unknown or revoked API key");
                            } else {
                                answer(routing, Problems.unavailable("the hub's store is unavailable, so credentials cannot be checked now; try again later"));
                            }
                        });
            }
            return;
        }
        if (bearer != null) {
            if (jwt == null) {
                answer(routing, Problems.unauthorized("bearer tokens are not accepted by this hub (no hub.auth.jwks-url)"));
                return;
            }
            String token = bearer;
            routing.request().pause();
            routing.vertx().<Optional<Caller>>executeBlocking(() -> jwt.verify(token), false).onComplete(result ->
                    decide(routing, result.succeeded() ? result.result() : Optional.empty(), rule,
                            "the bearer token is not valid (signature, issuer, audience or time)"));
            return;
        }
        answer(routing, Problems.unauthorized("send an API key in X-API-Key or an OAuth2 bearer token"));
    }

    private void decide(RoutingContext routing, Optional<Caller> caller, AccessPolicy.Rule rule, String refusal) {
        if (caller.isEmpty()) {
            answer(routing, Problems.unauthorized(refusal));
            return;
        }
        admit(routing, caller.get(), rule);
    }

    private void admit(RoutingContext routing, Caller caller, AccessPolicy.Rule rule) {
        routing.put(CALLER, caller);
        if (rule.access() == AccessPolicy.Access.ROLES && rule.roles().isEmpty()) {
            answer(routing, Problems.forbidden("no role may use " + routing.request().method() + " "
                    + routing.request().path() + " (it has no row in the access table)"));
            return;
        }
        if (!rule.allows(caller)) {
            answer(routing, Problems.forbidden("this needs one of the roles " + rule.roles().stream()
                    .map(Role::wireName).sorted().toList() + "; " + caller.subject() + " has ["
                    + caller.roleNames() + "]"));
            return;
        }
        long retryAfter = required ? limiter.acquire(caller.subject()) : 0;
        if (retryAfter > 0) {
            answer(routing, Problems.tooManyRequests(retryAfter));
            return;
        }
        String claimId = claimId(routing.request().path());
        if (rule.ownClaimsOnly() && claimId != null && AccessPolicy.onlyAsAdjuster(caller, rule.roles())) {
            routing.request().pause();
            routing.vertx().<Optional<String>>executeBlocking(() -> assigneeOf.apply(claimId), false)
                    .onComplete(result -> {
                        if (result.failed()) {
                            answer(routing, Problems.unavailable("the hub cannot check the claim's adjuster now;"
                                    + " try again later"));
                        } else if (result.result().isPresent()
                                && !result.result().get().equals(caller.adjusterId())) {
                            answer(routing, Problems.forbidden("claim " + claimId + " is not assigned to adjuster "
                                    + caller.adjusterId()));
                        } else {
                            pass(routing, caller);
                        }
                    });
            return;
        }
        pass(routing, caller);
    }

    private void pass(RoutingContext routing, Caller caller) {
        routing.request().headers().set(Caller.HEADER, caller.toHeader());
        if (!routing.request().path().startsWith("/api")) {
            // the management server's answers read no body: nothing waits to resume the request
            routing.request().resume();
        }
        routing.next();
    }

    static String claimId(String path) {
        Matcher matcher = CLAIM_PATH.matcher(path);
        return matcher.matches() ? matcher.group(1) : null;
    }

    private static void answer(RoutingContext routing, ApiResponse problem) {
        // a refused request's body (if any) is read and dropped, so the connection can carry the next request
        routing.request().resume();
        if (routing.response().ended()) {
            return;
        }
        routing.response().setStatusCode(problem.status());
        problem.headers().forEach(routing.response()::putHeader);
        routing.response().end(EventJson.write(problem.body()));
    }
}
