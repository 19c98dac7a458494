package io.claimshub.config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.claimshub.api.DeadLettersApi;
import io.claimshub.api.SnapshotsApi;
import io.claimshub.api.StreamsApi;
import io.claimshub.ops.DeadLetters;
import io.claimshub.ops.LogArchive;
import io.claimshub.ops.LogReplay;
import io.claimshub.ops.LogRetention;
import io.claimshub.integration.IntegrationKeys;
import io.claimshub.ops.OpsKeys;
import io.claimshub.ops.SnapshotChecks;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.ops.ReplayedEntries;
import io.claimshub.ops.StreamAdmin;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.Route;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The operations beans: dead letters (inspect, replay, discard), the replay route's step, the archive and the
 * scheduled trim of the log's streams, and their REST API. Lazy where they take
 * RedisSetup's connection factory, which Camel Main may configure after this class.
 */
public class OpsMaintenanceBeans implements CamelConfiguration {

    /** The group that reads the replay stream and hands each copy to its one target group. */
    static final String REPLAY_GROUP = "ops-replay";

    @PropertyInject("hub.integrations.namespace")
    private String integrationsNamespace;
    @PropertyInject("hub.events.stream")
    private String eventsStream;
    @PropertyInject("hub.retention.log-days")
    private int logDays;
    @PropertyInject("hub.retention.dead-letter-days")
    private int deadLetterDays;
    @PropertyInject("hub.retention.claim-streams")
    private String claimStreams;
    @PropertyInject("hub.archive.dir")
    private String archiveDir;
    @PropertyInject("hub.archive.period")
    private String archivePeriod;

    private StreamAdmin streamAdmin;
    private LogArchive logArchive;
    private LogRetention logRetention;

    @BindToRegistry(value = "streamAdmin", lazy = true)
    public synchronized StreamAdmin streamAdmin(RedisConnectionFactory redisConnectionFactory) {
        if (streamAdmin == null) {
            streamAdmin = new StreamAdmin(redisConnectionFactory);
        }
        return streamAdmin;
    }

    @BindToRegistry(value = "deadLetters", lazy = true)
    public DeadLetters deadLetters(RedisConnectionFactory redisConnectionFactory) {
        return new DeadLetters(streamAdmin(redisConnectionFactory), eventsStream, Clock.systemUTC());
    }

    @BindToRegistry(value = "deadLettersApi", lazy = true)
    public DeadLettersApi deadLettersApi(DeadLetters deadLetters, CamelContext camelContext) {
        return new DeadLettersApi(deadLetters, group -> hasSteps(camelContext, group));
    }

    @BindToRegistry("logArchive")
    public synchronized LogArchive logArchive() {
        if (logArchive == null) {
            LogArchive.Period period;
            try {
                period = LogArchive.Period.valueOf(archivePeriod.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hub.archive.period must be hour or day, not '" + archivePeriod + "'");
            }
            logArchive = new LogArchive(Path.of(archiveDir), period);
        }
        return logArchive;
    }

    @BindToRegistry(value = "logRetention", lazy = true)
    public synchronized LogRetention logRetention(RedisConnectionFactory redisConnectionFactory) {
        if (logRetention == null) {
            if (!"keep".equals(claimStreams.trim())) {
                throw new IllegalArgumentException("hub.retention.claim-streams must be keep: per-claim streams are the "
                        + "system of record and are not trimmed");
            }
            if (logDays < 1 || deadLetterDays < 1) {
                throw new IllegalArgumentException("hub.retention.log-days and hub.retention.dead-letter-days must be at least 1");
            }
            IntegrationKeys integrationKeys = new IntegrationKeys(integrationsNamespace);
            logRetention = new LogRetention(streamAdmin(redisConnectionFactory), logArchive(), List.of(
                    new LogRetention.Policy(eventsStream, Duration.ofDays(logDays)),
                    new LogRetention.Policy(OpsKeys.replays(eventsStream), Duration.ofDays(logDays)),
                    new LogRetention.Policy(OpsKeys.deadLetters(eventsStream), Duration.ofDays(deadLetterDays)),
                    // the adapters' work streams: copies of log entries, trimmed once their adapter acknowledged them
                    new LogRetention.Policy(integrationKeys.policyChecks(), Duration.ofDays(logDays)),
                    new LogRetention.Policy(integrationKeys.payments(), Duration.ofDays(logDays))),
                    Clock.systemUTC());
        }
        return logRetention;
    }

    @BindToRegistry(value = "streamsApi", lazy = true)
    public StreamsApi streamsApi(RedisConnectionFactory redisConnectionFactory, CamelContext camelContext) {
        StreamAdmin streams = streamAdmin(redisConnectionFactory);
        return new StreamsApi(streams, logArchive(), logRetention(redisConnectionFactory),
                new LogReplay(streams, logArchive(), eventsStream, Clock.systemUTC()), claimStreams.trim(),
                group -> hasSteps(camelContext, group));
    }

    @BindToRegistry(value = "snapshotsApi", lazy = true)
    public SnapshotsApi snapshotsApi(RedisConnectionFactory redisConnectionFactory, ClaimSnapshots claimSnapshots) {
        return new SnapshotsApi(new SnapshotChecks(streamAdmin(redisConnectionFactory), claimSnapshots, Clock.systemUTC()));
    }

    @BindToRegistry("replayedEntries")
    public ReplayedEntries replayedEntries() {
        return new ReplayedEntries();
    }

    /** A group can be replayed to when this hub has its steps route ({@code direct:<group>}); the replay group cannot. */
    static boolean hasSteps(CamelContext context, String group) {
        if (group.equals(REPLAY_GROUP)) {
            return false;
        }
        for (Route route : context.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (uri.equals("direct://" + group) || uri.equals("direct:" + group)) {
                return true;
            }
        }
        return false;
    }
}
