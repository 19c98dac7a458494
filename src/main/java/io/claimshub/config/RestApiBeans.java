package io.claimshub.config;

import io.claimshub.api.ApiResponse;
import io.claimshub.api.ApiResponseWriter;
import io.claimshub.api.ClaimsApi;
import io.claimshub.api.OperationsApi;
import io.claimshub.assignment.UnassignedClaims;
import io.claimshub.api.Problems;
import io.claimshub.event.EventJson;
import io.claimshub.sla.SlaBreaches;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimSnapshots;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The REST API's beans (routes/api), and problem+json answers for what the HTTP server refuses before any route
 * runs: unknown paths and methods (404) and bodies over the limit (413).
 */
public class RestApiBeans implements CamelConfiguration {

    @PropertyInject("hub.api.max-body-bytes")
    private long maxBodyBytes;

    @PropertyInject("camel.server.port")
    private int serverPort;

    private ClaimsApi claimsApi;
    private OperationsApi operationsApi;

    // lazy: the store beans come from HubBeans, which may be configured after this class
    @BindToRegistry(value = "claimsApi", lazy = true)
    public synchronized ClaimsApi claimsApi(ClaimCommands claimCommands, ClaimEventStore claimEventStore,
                                            ClaimSnapshots claimSnapshots) {
        if (claimsApi == null) {
            claimsApi = new ClaimsApi(claimCommands, claimEventStore, claimSnapshots, maxBodyBytes);
        }
        return claimsApi;
    }

    // lazy: the queue and breach list come from ProcessingBeans
    @BindToRegistry(value = "operationsApi", lazy = true)
    public synchronized OperationsApi operationsApi(SlaBreaches slaBreaches, UnassignedClaims unassignedClaims) {
        if (operationsApi == null) {
            operationsApi = new OperationsApi(slaBreaches, unassignedClaims, Clock.systemUTC());
        }
        return operationsApi;
    }

    /**
     * The REST routes' HTTP engine, told the API's port. Camel's own engine looks for a single HTTP server and, with
     * the management server running too, falls back to port 8080, so the API routes would not start on any other
     * {@code camel.server.port}.
     */
    @BindToRegistry(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME)
    public PlatformHttpEngine platformHttpEngine() {
        int port = serverPort;
        return new VertxPlatformHttpEngine() {
            @Override
            public int getServerPort() {
                return port;
            }
        };
    }

    @BindToRegistry("apiResponseWriter")
    public ApiResponseWriter apiResponseWriter() {
        return new ApiResponseWriter();
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        camelContext.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // the HTTP server binds its router only once it has started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                answerRefusalsWithProblems(context);
            }
        });
    }

    private void answerRefusalsWithProblems(CamelContext context) {
        // one router per port: the API's, and the management server's (which keeps its own answers)
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(serverPort));
        if (router == null) {
            throw new IllegalStateException("no platform-http router for the API on port " + serverPort);
        }
        // after every route: no route matched (the router answers an unmatched path from its parent, as HTML)
        router.route().last().handler(routing -> answer(routing, Problems.notFound("no resource at "
                + routing.request().method() + " " + routing.request().path())));
        // before every route, so before the body is read: a declared length over the limit (the body handler refuses
        // a longer chunked body itself, with a plain 413)
        router.route().order(-1).handler(routing -> {
            String length = routing.request().getHeader("Content-Length");
            if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                    && Long.parseLong(length) > maxBodyBytes) {
                answer(routing, Problems.tooLarge(maxBodyBytes));
            } else {
                routing.next();
            }
        });
    }

    private static void answer(RoutingContext routing, ApiResponse problem) {
        if (routing.response().ended()) {
            return;
        }
        routing.response().setStatusCode(problem.status());
        problem.headers().forEach(routing.response()::putHeader);
        routing.response().end(EventJson.write(problem.body()));
    }
}
