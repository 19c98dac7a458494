package io.claimshub.config;

import io.claimshub.analytics.AnalyticsBatches;
import io.claimshub.analytics.AnalyticsReader;
import io.claimshub.analytics.AnalyticsRebuild;
import io.claimshub.api.AnalyticsApi;
import io.claimshub.analytics.AnalyticsKeys;
import io.claimshub.analytics.AnalyticsStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** The analytics group's beans (docs/analytics.md). Lazy where they need RedisSetup's connection factory. */
public class AnalyticsBeans implements CamelConfiguration {

    /** Log entries a rebuild reads and counts per step. */
    private static final int REBUILD_PAGE = 1000;

    @PropertyInject("hub.events.stream")
    private String eventsStream;
    @PropertyInject("hub.analytics.namespace")
    private String namespace;
    @PropertyInject("hub.analytics.daily-retention-days")
    private int dailyRetentionDays;
    @PropertyInject("hub.analytics.hourly-retention-days")
    private int hourlyRetentionDays;
    @PropertyInject("hub.analytics.leaderboard-min-decisions")
    private int leaderboardMinDecisions;

    private final AnalyticsMeters meters = new AnalyticsMeters();
    private AnalyticsStore store;

    @BindToRegistry("analyticsKeys")
    public AnalyticsKeys analyticsKeys() {
        return new AnalyticsKeys(namespace);
    }

    @BindToRegistry(value = "analyticsStore", lazy = true)
    public synchronized AnalyticsStore analyticsStore(RedisConnectionFactory redisConnectionFactory) {
        if (store == null) {
            if (dailyRetentionDays < 1 || hourlyRetentionDays < 1) {
                throw new IllegalArgumentException("hub.analytics.daily-retention-days and hourly-retention-days must "
                        + "be at least 1");
            }
            store = new AnalyticsStore(redisConnectionFactory, analyticsKeys(), Duration.ofDays(dailyRetentionDays),
                    Duration.ofDays(hourlyRetentionDays), Clock.systemUTC(), meters);
        }
        return store;
    }

    @BindToRegistry(value = "analyticsBatches", lazy = true)
    public AnalyticsBatches analyticsBatches(RedisConnectionFactory redisConnectionFactory) {
        return new AnalyticsBatches(analyticsStore(redisConnectionFactory));
    }

    @BindToRegistry(value = "analyticsApi", lazy = true)
    public AnalyticsApi analyticsApi(RedisConnectionFactory redisConnectionFactory) {
        AnalyticsRebuild rebuild = new AnalyticsRebuild(redisConnectionFactory, analyticsStore(redisConnectionFactory),
                eventsStream, REBUILD_PAGE, Clock.systemUTC());
        return new AnalyticsApi(new AnalyticsReader(redisConnectionFactory, analyticsKeys()), rebuild,
                leaderboardMinDecisions, Clock.systemUTC());
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // the metrics registry is made while Camel starts
        camelContext.addStartupListener((StartupListener) (context, alreadyStarted) -> {
            MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
            if (registry != null) {
                meters.bindTo(registry);
            }
        });
    }
}
