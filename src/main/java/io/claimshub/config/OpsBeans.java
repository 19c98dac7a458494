package io.claimshub.config;

import java.time.Clock;

import io.claimshub.api.DeadLettersApi;
import io.claimshub.ops.DeadLetters;
import io.claimshub.ops.ReplayedEntries;
import io.claimshub.ops.StreamAdmin;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.Route;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The operations beans: dead letters (inspect, replay, discard) and the replay route's step. Lazy where they take
 * RedisSetup's connection factory, which Camel Main may configure after this class.
 */
public class OpsBeans implements CamelConfiguration {

    /** The group that reads the replay stream and hands each copy to its one target group. */
    static final String REPLAY_GROUP = "ops-replay";

    @PropertyInject("hub.events.stream")
    private String eventsStream;

    private StreamAdmin streamAdmin;

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
