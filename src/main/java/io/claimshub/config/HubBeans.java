package io.claimshub.config;

import java.math.BigDecimal;
import java.time.Clock;

import io.claimshub.api.ChainApi;
import io.claimshub.assignment.ApprovalAuthority;
import io.claimshub.assignment.ManualAssignmentRule;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventValidator;
import io.claimshub.ops.DeadLetterDescription;
import io.claimshub.ops.OpsKeys;
import io.claimshub.privacy.PersonalData;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.EventChain;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.store.ClaimantPseudonyms;
import io.claimshub.store.ProcessingKeys;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.spi.DataFormatFactory;
import org.apache.camel.support.ResolverHelper;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The named beans the YAML routes and the REST API call; all share the hub's one Redis connection factory.
 * Beans that take another configuration class's bean (RedisSetup's connection factory, ProcessingBeans' approval
 * authority) are lazy: Camel Main post-processes the configuration classes in no set order.
 */
public class HubBeans implements CamelConfiguration {

    @PropertyInject("hub.events.stream")
    private String eventsStream;
    @PropertyInject("hub.security.pseudonym-key")
    private String pseudonymKey;
    @PropertyInject("hub.chain.secret")
    private String chainSecret;

    @PropertyInject("hub.events.max-amount")
    private String maxAmount;

    @PropertyInject("hub.dead-letter.max-entry-bytes")
    private int deadLetterMaxEntryBytes;

    private final ClaimLifecycle lifecycle = new ClaimLifecycle();
    private ClaimEventStore store;

    /**
     * Every Jackson data format Camel creates (marshal/unmarshal json, dataformat:jackson) writes and reads by the
     * hub's JSON rules: it uses the beans' one ObjectMapper. That mapper is shared, so routes set no Jackson options.
     */
    @BindToRegistry("jackson" + ResolverHelper.DATA_FORMAT_FACTORY_FALLBACK_SUFFIX)
    public DataFormatFactory jacksonDataFormats() {
        return () -> {
            JacksonDataFormat json = new JacksonDataFormat();
            json.setObjectMapper(EventJson.mapper());
            return json;
        };
    }

    @BindToRegistry("deadLetterDescription")
    public DeadLetterDescription deadLetterDescription() {
        return new DeadLetterDescription(deadLetterMaxEntryBytes, OpsKeys.replays(eventsStream));
    }

    @BindToRegistry("eventValidator")
    public EventValidator eventValidator() {
        return new EventValidator(new BigDecimal(maxAmount.trim()));
    }

    @BindToRegistry(value = "claimEventStore", lazy = true)
    public synchronized ClaimEventStore claimEventStore(RedisConnectionFactory redisConnectionFactory) {
        if (store == null) {
            store = new ClaimEventStore(redisConnectionFactory, eventsStream, EventChain.configured(chainSecret));
        }
        return store;
    }

    /** {@code GET /api/claims/{claimId}/verify}: the claim's hash chain recomputed. */
    @BindToRegistry(value = "chainApi", lazy = true)
    public ChainApi chainApi(RedisConnectionFactory redisConnectionFactory) {
        return new ChainApi(claimEventStore(redisConnectionFactory));
    }

    /** Names claimants' Redis keys without their personal data; the secret is configured, or generated into Redis. */
    @BindToRegistry(value = "claimantPseudonyms", lazy = true)
    public ClaimantPseudonyms claimantPseudonyms(RedisConnectionFactory redisConnectionFactory, ProcessingKeys processingKeys) {
        return ClaimantPseudonyms.configuredOrKeptIn(pseudonymKey, redisConnectionFactory, processingKeys.pseudonymSecret());
    }

    @BindToRegistry(value = "claimCommands", lazy = true)
    public ClaimCommands claimCommands(RedisConnectionFactory redisConnectionFactory, EventValidator eventValidator,
                                       ApprovalAuthority approvalAuthority,
                                       ManualAssignmentRule manualAssignmentRule, PersonalData personalData) {
        return new ClaimCommands(claimEventStore(redisConnectionFactory), lifecycle, eventValidator, redisConnectionFactory,
                Clock.systemUTC(), approvalAuthority.and(manualAssignmentRule)).protectWith(personalData);
    }

    @BindToRegistry(value = "claimSnapshots", lazy = true)
    public ClaimSnapshots claimSnapshots(RedisConnectionFactory redisConnectionFactory) {
        return new ClaimSnapshots(redisConnectionFactory, claimEventStore(redisConnectionFactory), lifecycle);
    }
}
