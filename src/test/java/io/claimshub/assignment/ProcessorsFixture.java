package io.claimshub.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.config.WatchedFile;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventValidator;
import io.claimshub.ops.DeadLetterDescription;
import io.claimshub.processing.BusinessRules;
import io.claimshub.processing.SlaPolicy;
import io.claimshub.sla.SlaBreaches;
import io.claimshub.store.CaughtUpClaim;
import io.claimshub.store.ClaimCommands;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.store.ClaimantPseudonyms;
import io.claimshub.store.ProcessingKeys;
import io.claimshub.store.SubmitOutcome;
import io.claimshub.testsupport.TestRedis;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Properties;
import static org.awaitility.Awaitility.await;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.StreamOperations;

/**
 * The hub's processing YAML routes (processors, roster reload, dead-letter channel) on a plain CamelContext, with the
 * processing beans made over the test Redis under a namespace of their own and a fresh global log.
 */
final class ProcessorsFixture implements AutoCloseable {

    final ProcessingFiles files;
    final String globalLog = TestRedis.uniqueKey("events");
    final ProcessingKeys keys = new ProcessingKeys(TestRedis.uniqueKey("hub"));
    final ClaimLifecycle lifecycle = new ClaimLifecycle();
    final ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), globalLog);
    final ClaimSnapshots snapshots = new ClaimSnapshots(TestRedis.connectionFactory(), store, lifecycle);
    final AdjusterWorkloads workloads = new AdjusterWorkloads(TestRedis.connectionFactory(), keys,
            new ClaimantPseudonyms("a-test-secret-of-at-least-32-characters"));
    final UnassignedClaims unassigned = new UnassignedClaims(TestRedis.connectionFactory(), keys);
    final SlaBreaches breaches = new SlaBreaches(TestRedis.connectionFactory(), keys, 100);
    final RosterWatch roster;
    final ClaimCommands commands;
    /** "eventType claimId" of every entry the route's snapshot step was given, in order. */
    final List<String> caughtUp = new CopyOnWriteArrayList<>();
    private CamelContext context;

    ProcessorsFixture(ProcessingFiles files) {
        this.files = files;
        this.roster = new RosterWatch(files.roster);
        this.commands = new ClaimCommands(store, lifecycle, new EventValidator(), TestRedis.connectionFactory(),
                Clock.systemUTC(), new ApprovalAuthority(roster).and(new ManualAssignmentRule(roster,
                BusinessRules.load(files.rules))));
    }

    /** A new assignment bean over the same Redis, as a second consumer or hub instance would have. */
    ClaimAssignment newAssignment() {
        return new ClaimAssignment(store, lifecycle, roster, BusinessRules.load(files.rules), SlaPolicy.load(files.sla), workloads,
                unassigned, breaches, Clock.systemUTC());
    }

    /** An assignment bean of another hub instance: its own event store, so nothing it writes is known here. */
    ClaimAssignment otherInstanceAssignment() {
        return new ClaimAssignment(new ClaimEventStore(TestRedis.connectionFactory(), globalLog), lifecycle, roster,
                BusinessRules.load(files.rules), SlaPolicy.load(files.sla), workloads, unassigned, breaches,
                Clock.systemUTC());
    }

    /** Starts the processors route ({@code threads} consumer threads) and the roster reload looking every 100 ms. */
    ProcessorsFixture start(int threads) throws Exception {
        context = new DefaultCamelContext();
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.setProperty("hub.events.stream", globalLog);
        properties.setProperty("hub.consumer.name", "test");
        properties.setProperty("hub.consumer.threads", Integer.toString(threads));
        properties.setProperty("hub.processors.threads", Integer.toString(threads));
        properties.setProperty("hub.consumer.block", "100");
        properties.setProperty("hub.retry.delay", "10");
        properties.setProperty("hub.processing.roster-check-interval", "100");
        context.getPropertiesComponent().setInitialProperties(properties);
        context.getRegistry().bind("redisConnectionFactory", TestRedis.connectionFactory());
        context.getRegistry().bind("deadLetterDescription", new DeadLetterDescription());
        context.getRegistry().bind("claimSnapshots", new RecordingSnapshots());
        context.getRegistry().bind("claimAssignment", newAssignment());
        context.getRegistry().bind("rosterFile", WatchedFile.of(files.roster));
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveMandatoryResource(context, "classpath:routes/configuration/dead-letter-channel.camel.yaml"),
                ResourceHelper.resolveMandatoryResource(context, "classpath:routes/ops/dead-letter.camel.yaml"),
                ResourceHelper.resolveMandatoryResource(context, "classpath:routes/templates/consumer-group.camel.yaml"),
                ResourceHelper.resolveMandatoryResource(context, "classpath:routes/processing/processors.camel.yaml"),
                ResourceHelper.resolveMandatoryResource(context, "classpath:routes/processing/roster-reload.camel.yaml"));
        context.start();
        return this;
    }

    /** The started routes' context. */
    CamelContext context() {
        return context;
    }

    /** The real snapshot step, noting which entries reached it. */
    public final class RecordingSnapshots {
        public CaughtUpClaim onEvent(Map<String, String> globalLogEntryFields, String globalEntryId) {
            caughtUp.add(globalLogEntryFields.get("eventType") + " " + globalLogEntryFields.get("claimId"));
            return snapshots.onEvent(globalLogEntryFields, globalEntryId);
        }
    }

    /** The global log's entry at {@code index} (0 first), as the route's steps are given it. */
    Map<String, String> globalLogEntry(int index) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        TestRedis.template().opsForStream().range(globalLog, Range.unbounded()).get(index).getValue()
                .forEach((k, v) -> fields.put(k.toString(), v.toString()));
        return fields;
    }

    /** The id of the global log's entry at {@code index} (0 first). */
    String globalLogEntryId(int index) {
        return TestRedis.template().opsForStream().range(globalLog, Range.unbounded()).get(index).getId().getValue();
    }

    /** Waits until the processors group has been delivered, and has acknowledged, every entry of the global log. */
    void awaitLogConsumed() {
        StreamOperations<String, Object, Object> ops = TestRedis.template().opsForStream();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var last = ops.reverseRange(globalLog, Range.unbounded(), Limit.limit().count(1));
            var group = ops.groups(globalLog).stream().filter(g -> g.groupName().equals("processors")).findFirst();
            return !last.isEmpty() && group.isPresent() && group.get().pendingCount() == 0
                    && group.get().lastDeliveredId().equals(last.get(0).getId().getValue());
        });
    }

    /** Submits a claim as the REST API will; answers its id. */
    String submit(String type, String region, String amount) {
        return submit(type, region, amount, "ada@example.com");
    }

    String submit(String type, String region, String amount, String email) {
        JsonNode data = EventJson.parse("""
                {"policyNumber":"POL-123456","claimType":"%s","incidentDate":"2026-02-27",
                 "description":"Rear-ended at a traffic light","amountClaimed":{"amount":%s,"currency":"EUR"},
                 "claimant":{"name":"Ada Lovelace","email":"%s","phone":"+447700900123"},
                 "region":"%s","priority":"normal"}""".formatted(type, amount, email, region), "data");
        return ((SubmitOutcome.Accepted) commands.submit(data, null, null)).claimId();
    }

    Optional<ClaimState> state(String claimId) {
        return store.replay(claimId);
    }

    /** The adjuster the claim is assigned to, empty while it is not assigned. */
    Optional<String> assignee(String claimId) {
        return state(claimId).map(ClaimState::assigneeId);
    }

    @Override
    public void close() {
        if (context != null) {
            context.stop();
        }
    }
}
