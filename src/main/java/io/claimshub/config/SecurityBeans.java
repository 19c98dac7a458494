package io.claimshub.config;

import io.claimshub.api.ApiResponse;
import io.claimshub.api.AuditApi;
import io.claimshub.api.Problems;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.EventJson;
import io.claimshub.security.AccessAudit;
import io.claimshub.security.ApiGuard;
import io.claimshub.security.ApiKeys;
import io.claimshub.security.JwtVerifier;
import io.claimshub.security.RateLimiter;
import io.claimshub.security.Role;
import io.claimshub.security.SecurityKeys;
import io.claimshub.store.ClaimSnapshots;
import io.vertx.ext.web.Router;
import io.claimshub.security.AccessPolicy;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Authentication, roles, rate limits and the access audit (docs/security.md): the {@link ApiGuard} goes on the API's
 * and the management server's routers before any of their routes; until it is on, the API's routes refuse every
 * request. At start the bootstrap key (hub.api.bootstrap-key) is stored with every role; with none and no key at all
 * in Redis, one administrator key is made and printed once on the console.
 */
public class SecurityBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityBeans.class);
    /** Where the quick start's administrator key is printed: the console, never a logger (so no log file has it). */
    static PrintStream console = System.out;

    @PropertyInject("camel.server.port")
    private int serverPort;
    @PropertyInject("camel.management.port")
    private int managementPort;
    @PropertyInject("hub.security.namespace")
    private String namespace;
    @PropertyInject("hub.api.authentication")
    private String authentication;
    @PropertyInject("hub.api.bootstrap-key")
    private String bootstrapKey;
    @PropertyInject("hub.api.key-cache-millis")
    private long keyCacheMillis;
    @PropertyInject("hub.api.rate-limit.per-second")
    private double ratePerSecond;
    @PropertyInject("hub.api.rate-limit.burst")
    private double rateBurst;
    @PropertyInject("hub.auth.jwks-url")
    private String jwksUrl;
    @PropertyInject("hub.auth.issuer")
    private String issuer;
    @PropertyInject("hub.auth.audience")
    private String audience;
    @PropertyInject("hub.auth.roles-claim")
    private String rolesClaim;
    @PropertyInject("hub.auth.adjuster-claim")
    private String adjusterClaim;
    @PropertyInject("hub.auth.clock-skew")
    private int clockSkewSeconds;
    @PropertyInject("hub.audit.max-entries")
    private long auditMaxEntries;

    private ApiKeys apiKeys;
    private AccessAudit audit;
    private ApiGuard guard;

    @BindToRegistry(value = "apiKeys", lazy = true)
    public synchronized ApiKeys apiKeys(JedisConnectionFactory redisConnectionFactory) {
        if (apiKeys == null) {
            apiKeys = new ApiKeys(new StringRedisTemplate(redisConnectionFactory), new SecurityKeys(namespace),
                    Clock.systemUTC(), keyCacheMillis);
        }
        return apiKeys;
    }

    @BindToRegistry(value = "accessAudit", lazy = true)
    public synchronized AccessAudit accessAudit(JedisConnectionFactory redisConnectionFactory, CamelContext context)
            throws Exception {
        if (audit == null) {
            AccessAudit created = new AccessAudit(new StringRedisTemplate(redisConnectionFactory),
                    new SecurityKeys(namespace), auditMaxEntries, Clock.systemUTC());
            // stopped (queue flushed) before the Redis connection factory, which was added earlier
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    created.close();
                }
            }, true, false);
            audit = created;
        }
        return audit;
    }

    @BindToRegistry(value = "auditApi", lazy = true)
    public AuditApi auditApi(JedisConnectionFactory redisConnectionFactory) {
        return new AuditApi(new StringRedisTemplate(redisConnectionFactory), new SecurityKeys(namespace).accessAudit());
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        boolean required = switch (authentication.trim().toLowerCase(Locale.ROOT)) {
            case "required" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("hub.api.authentication must be required or off, not '"
                    + authentication + "'");
        };
        // a request that reaches an API route before the guard is on the router is refused, never let through
        camelContext.addRoutePolicyFactory((context, routeId, route) -> new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
                if (exchange.getIn() instanceof HttpMessage request && (guard == null || !guard.installed())
                        && !request.getResponse().ended()) {
                    ApiResponse problem = Problems.unavailable("the hub is starting; try again later");
                    request.getResponse().setStatusCode(problem.status());
                    problem.headers().forEach(request.getResponse()::putHeader);
                    request.getResponse().end(EventJson.write(problem.body()));
                    exchange.setRouteStop(true);
                }
            }
        });
        camelContext.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                try {
                    install(context, required);
                } catch (Exception e) {
                    throw new IllegalStateException("the API's authentication could not be set up: " + e.getMessage(), e);
                }
            }
        });
    }

    private void install(CamelContext context, boolean required) throws Exception {
        JedisConnectionFactory factory = context.getRegistry().lookupByNameAndType("redisConnectionFactory",
                JedisConnectionFactory.class);
        ApiKeys keys = apiKeys(factory);
        AccessAudit accessAudit = accessAudit(factory, context);
        ClaimSnapshots snapshots = context.getRegistry().lookupByNameAndType("claimSnapshots", ClaimSnapshots.class);
        JwtVerifier jwt = jwksUrl == null || jwksUrl.isBlank() ? null
                : new JwtVerifier(jwksUrl.trim(), issuer, audience, rolesClaim, adjusterClaim, clockSkewSeconds);
        provisionKeys(keys);
        guard = new ApiGuard(keys, jwt, new RateLimiter(ratePerSecond, rateBurst, System::nanoTime), accessAudit,
                required, claimId -> snapshots.read(claimId).map(SecurityBeans::assignee));
        Router api = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(serverPort));
        if (api == null) {
            throw new IllegalStateException("no platform-http router for the API on port " + serverPort);
        }
        api.route().order(-1).handler(guard.api());
        Router management = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(managementPort));
        if (management != null) {
            management.route().order(-100).handler(guard.management());
        }
        List<String[]> operations = new ArrayList<>();
        for (RestDefinition rest : ((ModelCamelContext) context).getRestDefinitions()) {
            String base = rest.getPath() == null ? "" : rest.getPath();
            for (VerbDefinition verb : rest.getVerbs()) {
                operations.add(new String[] {verb.asVerb(), base + (verb.getPath() == null ? "" : verb.getPath())});
            }
        }
        List<AccessPolicy.Rule> unlisted = AccessPolicy.unlisted(operations);
        unlisted.forEach(rule -> LOG.error("REST operation {} {} has no row in the access table (AccessPolicy): it is"
                + " refused for every role", rule.method(), rule.path()));
        guard.refuse(unlisted);
        guard.markInstalled();
        if (!required) {
            LOG.warn("*** hub.api.authentication=off: EVERY REQUEST IS LET IN WITH EVERY ROLE. For benchmarks only;"
                    + " never run a hub reachable by anyone like this ***");
        } else {
            LOG.info("API authentication: API keys (X-API-Key){}; rate limit {}/s per caller (burst {})",
                    jwt == null ? "" : ", bearer JWTs from " + jwksUrl.trim(), ratePerSecond, rateBurst);
        }
    }

    private void provisionKeys(ApiKeys keys) {
        if (bootstrapKey != null && !bootstrapKey.isBlank()) {
            keys.put(bootstrapKey.trim(), "bootstrap", Role.all());
            LOG.info("API key 'bootstrap' (hub.api.bootstrap-key) stored with every role");
        } else if (keys.isEmpty()) {
            String key;
            try {
                key = keys.create("admin", Role.all(), null);
            } catch (IllegalArgumentException raced) {
                // another instance made it at the same moment
                LOG.info("No administrator key made here: {}", raced.getMessage());
                return;
            }
            console.println();
            console.println("=== Claims Hub: no API key was configured, so an administrator key was made (name 'admin',"
                    + " every role).");
            console.println("=== It is shown only now; only its hash is stored. Use it as:");
            console.println("===   curl -H 'X-API-Key: " + key + "' localhost:8080/api/claims/...");
            console.println("=== API key: " + key);
            console.println();
            console.flush();
            LOG.info("No API key was configured: an administrator key 'admin' was made and printed on the console"
                    + " (not logged)");
        }
    }

    private static String assignee(ClaimState state) {
        return state.assigneeId() == null ? "" : state.assigneeId();
    }
}
