package io.claimshub.config;

import java.time.Clock;
import java.time.Duration;

import io.claimshub.assignment.AdjusterWorkloads;
import io.claimshub.assignment.ApprovalAuthority;
import io.claimshub.assignment.ManualAssignmentRule;
import io.claimshub.assignment.ClaimAssignment;
import io.claimshub.assignment.RosterWatch;
import io.claimshub.assignment.UnassignedClaims;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.processing.BusinessRules;
import io.claimshub.processing.SlaPolicy;
import io.claimshub.sla.SlaBreaches;
import io.claimshub.sla.SlaScheduler;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimantPseudonyms;
import io.claimshub.store.ProcessingKeys;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The processors' beans: assignment, workloads, the unassigned queue, roster reload and the SLA scheduler. The roster,
 * rules and SLA files are read at start-up; a bad file stops the hub with the loader's message. Beans that need
 * another configuration class's bean are lazy, since Camel Main post-processes those classes in no set order.
 */
public class ProcessingBeans implements CamelConfiguration {

    @PropertyInject("hub.policy.enabled")
    private boolean policyEnabled;
    @PropertyInject("hub.processing.roster-file")
    private String rosterFile;
    @PropertyInject("hub.processing.rules-file")
    private String rulesFile;
    @PropertyInject("hub.processing.sla-file")
    private String slaFile;
    @PropertyInject("hub.processing.namespace")
    private String namespace;
    @PropertyInject("hub.sla.lease")
    private long slaLease;
    @PropertyInject("hub.sla.breaches-kept")
    private int breachesKept;

    private RosterWatch rosterWatch;
    private UnassignedClaims unassignedClaims;
    private SlaBreaches slaBreaches;
    private BusinessRules businessRules;

    @BindToRegistry("processingKeys")
    public ProcessingKeys processingKeys() {
        return new ProcessingKeys(namespace);
    }

    @BindToRegistry("rosterWatch")
    public synchronized RosterWatch rosterWatch() {
        if (rosterWatch == null) {
            rosterWatch = new RosterWatch(OperatorFiles.existingOrDefault(rosterFile, "adjusters.yaml"));
        }
        return rosterWatch;
    }

    /** Where the roster file is, for the roster-reload route that watches it. */
    @BindToRegistry("rosterFile")
    public WatchedFile rosterFile() {
        return WatchedFile.of(rosterWatch().file());
    }

    @BindToRegistry("approvalAuthority")
    public ApprovalAuthority approvalAuthority() {
        return new ApprovalAuthority(rosterWatch(), policyEnabled);
    }

    @BindToRegistry("manualAssignmentRule")
    public ManualAssignmentRule manualAssignmentRule() {
        return new ManualAssignmentRule(rosterWatch(), businessRules());
    }

    private synchronized BusinessRules businessRules() {
        if (businessRules == null) {
            businessRules = BusinessRules.load(OperatorFiles.existingOrDefault(rulesFile, "rules.yaml"));
        }
        return businessRules;
    }

    @BindToRegistry(value = "unassignedClaims", lazy = true)
    public synchronized UnassignedClaims unassignedClaims(RedisConnectionFactory redisConnectionFactory) {
        if (unassignedClaims == null) {
            unassignedClaims = new UnassignedClaims(redisConnectionFactory, processingKeys());
        }
        return unassignedClaims;
    }

    @BindToRegistry(value = "slaBreaches", lazy = true)
    public synchronized SlaBreaches slaBreaches(RedisConnectionFactory redisConnectionFactory) {
        if (slaBreaches == null) {
            slaBreaches = new SlaBreaches(redisConnectionFactory, processingKeys(), breachesKept);
        }
        return slaBreaches;
    }

    @BindToRegistry(value = "claimAssignment", lazy = true)
    public ClaimAssignment claimAssignment(RedisConnectionFactory redisConnectionFactory,
                                           ClaimEventStore claimEventStore, ClaimantPseudonyms claimantPseudonyms) {
        ProcessingKeys keys = processingKeys();
        return new ClaimAssignment(claimEventStore, new ClaimLifecycle(), rosterWatch(), businessRules(),
                SlaPolicy.load(OperatorFiles.existingOrDefault(slaFile, "sla.yaml")), new AdjusterWorkloads(redisConnectionFactory, keys, claimantPseudonyms),
                unassignedClaims(redisConnectionFactory), slaBreaches(redisConnectionFactory), Clock.systemUTC());
    }

    @BindToRegistry(value = "slaScheduler", lazy = true)
    public SlaScheduler slaScheduler(RedisConnectionFactory redisConnectionFactory, ClaimEventStore claimEventStore) {
        return new SlaScheduler(claimEventStore, slaBreaches(redisConnectionFactory), redisConnectionFactory,
                processingKeys(), Duration.ofMillis(slaLease), Clock.systemUTC());
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // the metrics registry is made while Camel starts, so the gauge is added once it has
        camelContext.addStartupListener((StartupListener) (context, alreadyStarted) -> {
            MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
            RedisConnectionFactory redis = context.getRegistry().findSingleByType(RedisConnectionFactory.class);
            if (meters != null && redis != null) {
                UnassignedClaims queue = unassignedClaims(redis);
                Gauge.builder("claimshub.claims.unassigned", queue, UnassignedClaims::count)
                        .description("submitted claims waiting for an adjuster with capacity")
                        .register(meters);
            }
        });
    }
}
