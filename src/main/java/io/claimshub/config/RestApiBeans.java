package io.claimshub.config;

import io.claimshub.privacy.PersonalData;
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
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API's beans (routes/api), and problem+json answers for what the HTTP server refuses before any route
 * runs: requests it cannot parse (400, 414, 431), unknown paths and methods (404), bodies over the limit (413), no
 * answer within the Redis timeout and shutdown (503).
 */
public class RestApiBeans implements CamelConfiguration {

    @PropertyInject("hub.api.max-body-bytes")
    private long maxBodyBytes;

    @PropertyInject("camel.server.port")
    private int serverPort;

    @PropertyInject("hub.redis.timeout")
    private long redisTimeoutMillis;

    private static final Logger LOG = LoggerFactory.getLogger(RestApiBeans.class);
    private static final long VERTX_CLOSE_SECONDS = 10;

    private ClaimsApi claimsApi;
    private OperationsApi operationsApi;
    private Vertx httpVertx;

    // lazy: the store beans come from HubBeans, which may be configured after this class
    @BindToRegistry(value = "claimsApi", lazy = true)
    public synchronized ClaimsApi claimsApi(ClaimCommands claimCommands, ClaimEventStore claimEventStore,
                                            ClaimSnapshots claimSnapshots, PersonalData personalData) {
        if (claimsApi == null) {
            claimsApi = new ClaimsApi(claimCommands, claimEventStore, claimSnapshots, maxBodyBytes)
                    .revealWith(personalData);
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

    /**
     * The Vert.x instance Camel's HTTP servers run on (they look it up in the registry when they start, so it is
     * created only then). Requests Vert.x cannot parse (a request line over 4096 bytes, a bad Content-Length, a CR
     * inside a header) never reach a router: its HTTP servers get an invalid-request handler that answers them as
     * problems.
     */
    @BindToRegistry(value = "vertx", lazy = true)
    public synchronized Vertx vertx(CamelContext camelContext) throws Exception {
        if (httpVertx == null) {
            httpVertx = answeringInvalidRequests(camelContext);
        }
        return httpVertx;
    }

    private static Vertx answeringInvalidRequests(CamelContext camelContext) throws Exception {
        VertxInternal vertx = (VertxInternal) Vertx.vertx();
        // closed once every service (the HTTP servers on it too) has stopped, and awaited: its threads are gone
        // when the hub reports it has stopped
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext context) {
                try {
                    vertx.close().toCompletionStage().toCompletableFuture().get(VERTX_CLOSE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    LOG.warn("The HTTP servers' Vert.x did not close within {} s: {}", VERTX_CLOSE_SECONDS,
                            e.getClass().getSimpleName());
                }
            }
        });
        // Camel's server creates and starts its HttpServer in one step, with no option for an invalid-request handler
        // (taken when it listens); a proxy of the whole (internal) interface is the one place left to set it.
        return (Vertx) Proxy.newProxyInstance(VertxInternal.class.getClassLoader(), new Class<?>[] {VertxInternal.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(vertx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof HttpServer server && method.getName().equals("createHttpServer")) {
                        server.invalidRequestHandler(RestApiBeans::answerInvalidRequest);
                    }
                    return result;
                });
    }

    /** Vert.x's own choice of status (414, 431, else 400), answered with a problem; the connection is closed. */
    private static void answerInvalidRequest(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            request.connection().close();
            return;
        }
        Throwable cause = request.decoderResult().cause();
        String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        ApiResponse problem;
        if (cause instanceof TooLongFrameException && message.startsWith("An HTTP line is larger than")) {
            problem = Problems.uriTooLong();
        } else if (cause instanceof TooLongFrameException && message.startsWith("HTTP header is larger than")) {
            problem = Problems.headersTooLarge();
        } else {
            problem = Problems.badHttpRequest();
        }
        response.setStatusCode(problem.status()).putHeader("Connection", "close");
        problem.headers().forEach(response::putHeader);
        response.end(EventJson.write(problem.body()));
    }

    @BindToRegistry("apiResponseWriter")
    public ApiResponseWriter apiResponseWriter() {
        return new ApiResponseWriter();
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        camelContext.addRoutePolicyFactory((context, routeId, route) -> new SkipRequestsAlreadyAnswered());
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
        // while the hub shuts down, the API's consumers are suspended and would answer a bare 503
        router.route().order(-4).handler(routing -> {
            if (context.isStopping() || context.isStopped()) {
                answer(routing, Problems.unavailable("the hub is shutting down; try again later"));
            } else {
                routing.next();
            }
        });
        // what the server's own handlers refuse (the timeout below, the body handler's 413 for a chunked body over
        // the limit) reaches the failure handlers: answered as problems too
        router.route().order(-3).failureHandler(routing -> answer(routing, switch (routing.statusCode()) {
            case 413 -> Problems.tooLarge(maxBodyBytes);
            case 503 -> Problems.unavailable("the hub could not answer within " + redisTimeoutMillis
                    + " ms; try again later");
            default -> Problems.refused(routing.statusCode() < 400 ? 500 : routing.statusCode());
        }));
        // a request that waits on a frozen Redis (or queues behind requests that do) is answered 503 when the Redis
        // timeout has passed; the timer runs on the event loop, so busy workers cannot delay it
        router.route().order(-2).handler(TimeoutHandler.create(redisTimeoutMillis, 503));
        // before the body is read: a declared length over the limit
        router.route().order(-1).handler(routing -> {
            String length = routing.request().getHeader("Content-Length");
            if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                    && Long.parseLong(length) > maxBodyBytes) {
                answer(routing, Problems.tooLarge(maxBodyBytes));
            } else {
                routing.next();
            }
        });
        // after every route: no route matched (the router answers an unmatched path from its parent, as HTML)
        router.route().last().handler(routing -> answer(routing, Problems.notFound("no resource at "
                + routing.request().method() + " " + routing.request().path())));
    }

    /**
     * A request the HTTP server has already answered (503 when its wait passed the Redis timeout) is not run when a
     * worker gets to it: a submission its client was told failed is never applied later, and no backlog builds up
     * behind a frozen Redis.
     */
    private static final class SkipRequestsAlreadyAnswered extends RoutePolicySupport {
        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (exchange.getIn() instanceof HttpMessage request && request.getResponse().ended()) {
                exchange.setRouteStop(true);
            }
        }
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
