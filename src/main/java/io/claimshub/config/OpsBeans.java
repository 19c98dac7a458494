package io.claimshub.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.claimshub.api.OpsGroupsApi;
import io.claimshub.component.redisstreams.RedisStreamsComponent;
import io.claimshub.component.redisstreams.RedisStreamsKeys;
import io.claimshub.ops.GroupPositions;
import io.claimshub.ops.OpsAudit;
import io.claimshub.ops.StreamInspector;
import io.claimshub.ops.StreamMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Operations: the metrics registry (with latency buckets for the routes), the streams' and groups' figures, the
 * groups' health and moving a group's position (docs/operations.md). Beans that take the Redis connection factory
 * are lazy, since Camel Main post-processes the configuration classes in no set order.
 */
public class OpsBeans implements CamelConfiguration {

    /** Route latency buckets (seconds): a REST request's few ms up to a stuck step's tens of seconds. */
    private static final String METRICS_REGISTRY = "metricsRegistry";
    static final double[] ROUTE_LATENCY_BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    @PropertyInject("hub.events.stream")
    private String eventsStream;
    @PropertyInject("hub.metrics.streams")
    private String extraStreams;
    @PropertyInject("hub.metrics.refresh-interval")
    private long refreshInterval;
    @PropertyInject("hub.metrics.lag-count-limit")
    private long lagCountLimit;
    @PropertyInject("hub.health.group-max-lag")
    private long maxLag;
    @PropertyInject("hub.health.group-max-pending-age")
    private long maxPendingAge;

    private StreamMetrics streamMetrics;
    private StreamInspector inspector;
    private OpsGroupsApi opsGroupsApi;

    /**
     * The routes' latency timer ({@code camel_route_policy_seconds}, from camel-micrometer's route policy factory)
     * gets histogram buckets, so its distribution can be read, not only its mean and max.
     */
    static MeterFilter routeLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!MicrometerConstants.DEFAULT_CAMEL_ROUTE_POLICY_METER_NAME.equals(id.getName())) {
                    return config;
                }
                double[] nanos = Arrays.stream(ROUTE_LATENCY_BUCKETS).map(s -> s * 1e9).toArray();
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }

    /** The streams watched: the claim log, the configured extra streams (outboxes), and each one's dead letters. */
    List<String> watchedStreams() {
        List<String> streams = new ArrayList<>();
        List<String> named = new ArrayList<>();
        named.add(eventsStream);
        if (extraStreams != null) {
            Arrays.stream(extraStreams.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(named::add);
        }
        for (String stream : named) {
            streams.add(stream);
            streams.add(RedisStreamsKeys.defaultDeadLetterStream(stream));
        }
        return List.copyOf(streams);
    }

    @BindToRegistry(value = "streamInspector", lazy = true)
    public synchronized StreamInspector streamInspector(RedisConnectionFactory redisConnectionFactory) {
        if (inspector == null) {
            inspector = new StreamInspector(template(redisConnectionFactory), lagCountLimit);
        }
        return inspector;
    }

    @BindToRegistry(value = "streamMetrics", lazy = true)
    public synchronized StreamMetrics streamMetrics(RedisConnectionFactory redisConnectionFactory,
                                                    CamelContext camelContext) {
        if (streamMetrics == null) {
            streamMetrics = new StreamMetrics(streamInspector(redisConnectionFactory), template(redisConnectionFactory),
                    watchedStreams(), () -> camelContext.getComponent("redis-streams", RedisStreamsComponent.class)
                    .groupCounters(), Tags.of("camelContext", camelContext.getName()), Clock.systemUTC(),
                    Duration.ofMillis(refreshInterval));
        }
        return streamMetrics;
    }

    @BindToRegistry(value = "streamGroupsHealthCheck", lazy = true)
    public HealthCheck streamGroupsHealthCheck(RedisConnectionFactory redisConnectionFactory,
                                               CamelContext camelContext) {
        return new StreamGroupsHealthCheck(streamMetrics(redisConnectionFactory, camelContext), maxLag,
                Duration.ofMillis(maxPendingAge));
    }

    @BindToRegistry(value = "opsGroupsApi", lazy = true)
    public synchronized OpsGroupsApi opsGroupsApi(RedisConnectionFactory redisConnectionFactory) {
        if (opsGroupsApi == null) {
            StringRedisTemplate redis = template(redisConnectionFactory);
            GroupPositions positions = new GroupPositions(redis, streamInspector(redisConnectionFactory),
                    new OpsAudit(redis, Clock.systemUTC()));
            opsGroupsApi = new OpsGroupsApi(positions, eventsStream, watchedStreams());
        }
        return opsGroupsApi;
    }

    private static StringRedisTemplate template(RedisConnectionFactory redisConnectionFactory) {
        StringRedisTemplate template = new StringRedisTemplate(redisConnectionFactory);
        template.afterPropertiesSet();
        return template;
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // the registry behind /observe/metrics is the one bound under this name (camel-micrometer makes it if none
        // is); the filter goes on before the routes start and register their timers
        MeterRegistry registry = camelContext.getRegistry().lookupByNameAndType(METRICS_REGISTRY, MeterRegistry.class);
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            camelContext.getRegistry().bind(METRICS_REGISTRY, registry);
        }
        registry.config().meterFilter(routeLatencyBuckets());
        // the figures' gauges go on the registry once Camel has started it; the stream-metrics route collects them
        camelContext.addStartupListener((StartupListener) (context, alreadyStarted) -> {
            MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
            RedisConnectionFactory redis = context.getRegistry().findSingleByType(RedisConnectionFactory.class);
            if (meters != null && redis != null) {
                streamMetrics(redis, context).bindTo(meters);
            }
        });
    }
}
