package io.claimshub.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.component.redisstreams.RedisStreamsConstants;
import io.claimshub.component.redisstreams.RedisStreamsEntry;
import io.claimshub.testsupport.HubRoutes;
import io.claimshub.testsupport.TestRedis;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integrations group's steps route (routes/integrations/integrations.camel.yaml, with its camel-sql writes) fed
 * a few hundred real claim lifecycles, shuffled across claims with duplicates, in batches of random sizes, then all of
 * it once more (as after a crash that lost every acknowledgement): the claims table ends equal to the snapshots, row
 * by row, and claim_events holds exactly one row per event, on PostgreSQL and on H2.
 */
@Tag("redis")
class ClaimsTableSyncTest {

    private static final String LOG = TestRedis.uniqueKey("integrations-log");
    private static List<String> claimIds;
    private static List<RedisStreamsEntry> log;

    @TempDir
    Path h2Dir;
    private final String namespace = TestRedis.uniqueKey("integrations");
    private final IntegrationKeys keys = new IntegrationKeys(namespace);
    private CamelContext context;
    private LegacyDatabase database;

    @BeforeAll
    static void makeLifecycles() throws Exception {
        claimIds = new ClaimLifecycles(TestRedis.connectionFactory(), LOG).make(300, 11, 2);
        log = ClaimLifecycles.readLog(LOG);
        assertThat(log.size()).isGreaterThan(5 * claimIds.size());
    }

    @AfterAll
    static void deleteLog() {
        TestRedis.template().delete(LOG);
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (database != null) {
            database.close();
        }
        TestRedis.template().delete(List.of(keys.policyChecks(), keys.payments()));
    }

    /** The database, or, while {@code down} is set, a refusal to connect (as a database that is away). */
    private final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();

    private javax.sql.DataSource switchable(javax.sql.DataSource real) {
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && down.get()) {
                        throw new java.sql.SQLTransientConnectionException("claims database is away (test)");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private ProducerTemplate start(LegacyDatabase db) throws Exception {
        database = db;
        context = HubRoutes.context(Map.of(
                "hub.events.stream", TestRedis.uniqueKey("unused-log"),
                "hub.claims-table.jdbc-url", db.url(),
                "hub.retry.max-redeliveries", "0"));
        context.getRegistry().bind("redisConnectionFactory", TestRedis.connectionFactory());
        context.getRegistry().bind("integrationBatches",
                new IntegrationBatches(TestRedis.connectionFactory(), keys, new ClaimLifecycle()));
        javax.sql.DataSource dataSource = switchable(db.dataSource());
        context.getRegistry().bind("claimsDataSource", dataSource);
        context.getRegistry().bind("claimsTable", new ClaimsTable(dataSource, db.url()));
        // the steps only: the test delivers the batches itself
        HubRoutes.start(context, List.of("configuration/batch-retry", "templates/consumer-group",
                "integrations/integrations"));
        context.getRouteController().stopRoute("integrations");
        return context.createProducerTemplate();
    }

    /** Sends the entries in batches of 1 to 100; answers the dead letters the steps set. */
    private static Map<String, String> deliver(ProducerTemplate producer, List<RedisStreamsEntry> entries, Random sizes) {
        Map<String, String> deadLetters = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); ) {
            int n = 1 + sizes.nextInt(100);
            List<RedisStreamsEntry> batch = new ArrayList<>(entries.subList(i, Math.min(entries.size(), i + n)));
            Exchange done = producer.send("direct:integrations", exchange -> exchange.getMessage().setBody(batch));
            assertThat(done.getException()).isNull();
            @SuppressWarnings("unchecked")
            Map<String, String> batchDeadLetters = done.getProperty(RedisStreamsConstants.BATCH_DEAD_LETTER, Map.class);
            if (batchDeadLetters != null) {
                deadLetters.putAll(batchDeadLetters);
            }
            i += n;
        }
        return deadLetters;
    }

    private void shuffledDuplicatedDeliveryGivesTheSnapshots(LegacyDatabase db) throws Exception {
        ProducerTemplate producer = start(db);
        Random random = new Random(3);

        assertThat(deliver(producer, ClaimLifecycles.shuffledWithDuplicates(log, random), random)).isEmpty();
        assertThat(deliver(producer, log, random)).isEmpty();

        assertThat(ClaimsTableCheck.claimsDifferences(db.dataSource(), claimIds)).isEmpty();
        assertThat(ClaimsTableCheck.eventDifferences(db.dataSource(), claimIds)).isEmpty();
        assertThat(ClaimsTableCheck.count(db.dataSource(), "claim_events")).isEqualTo(log.size());
        // every claim.submitted and claim.approved entry was handed to its work stream (at least once)
        assertThat(workStreamEventIds(keys.policyChecks())).containsAll(eventIds("claim.submitted"));
        assertThat(workStreamEventIds(keys.payments())).containsAll(eventIds("claim.approved"))
                .doesNotContainAnyElementsOf(eventIds("claim.submitted"));
    }

    @Test
    void onPostgresqlTheTableEqualsTheSnapshotsAfterAShuffledDuplicatedDelivery() throws Exception {
        shuffledDuplicatedDeliveryGivesTheSnapshots(LegacyDatabase.postgres());
    }

    @Test
    void onH2TheTableEqualsTheSnapshotsAfterAShuffledDuplicatedDelivery() throws Exception {
        shuffledDuplicatedDeliveryGivesTheSnapshots(LegacyDatabase.h2(h2Dir));
    }

    private void aStaleRowNeverMovesARowBack(LegacyDatabase db) throws Exception {
        ProducerTemplate producer = start(db);
        String claimId = claimIds.get(0);
        List<RedisStreamsEntry> ofClaim = log.stream().filter(e -> claimId.equals(e.fields().get("claimId"))).toList();
        assertThat(deliver(producer, ofClaim, new Random(1))).isEmpty();
        long version = ofClaim.size();

        // the table write itself, given an older state of the claim (as a slow second instance would write it)
        Map<String, String> stale = new LinkedHashMap<>(
                new io.claimshub.store.ClaimEventStore(TestRedis.connectionFactory(), LOG).replay(claimId).orElseThrow()
                        .toFields());
        stale.put("version", "1");
        stale.put("status", "submitted");
        Exchange written = producer.send("direct:claims-table-sync", exchange -> exchange.getMessage().setBody(
                new IntegrationBatch(List.of(), List.of(), List.of(stale), List.of(), Map.of())));
        assertThat(written.getException()).isNull();
        // written, and refused by the database: no row moved
        assertThat(written.getVariable(ClaimsTable.ROWS, Integer.class)).isEqualTo(1);
        assertThat(written.getVariable(ClaimsTable.CLAIMS_WRITTEN, Long.class)).isZero();

        assertThat(ClaimsTableCheck.claimsDifferences(db.dataSource(), List.of(claimId))).isEmpty();
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT version FROM claims WHERE claim_id = '" + claimId + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getLong(1)).isEqualTo(version);
        }
    }

    @Test
    void onPostgresqlAStaleRowNeverMovesARowBack() throws Exception {
        aStaleRowNeverMovesARowBack(LegacyDatabase.postgres());
    }

    @Test
    void onH2AStaleRowNeverMovesARowBack() throws Exception {
        aStaleRowNeverMovesARowBack(LegacyDatabase.h2(h2Dir));
    }

    // a claim's row written by the route's write step holds the values its JDBC form has (ClaimsTableRows.row), however
    // its text is spelled: on PostgreSQL the rows travel as JSON, on H2 as JDBC parameters
    private void textAndTimestampsAreWrittenAsTheSnapshotHasThem(LegacyDatabase db) throws Exception {
        ProducerTemplate producer = start(db);
        Map<String, String> fields = new LinkedHashMap<>(
                new io.claimshub.store.ClaimEventStore(TestRedis.connectionFactory(), LOG).replay(claimIds.get(3))
                        .orElseThrow().toFields());
        fields.put("policyNumber", "PO\"L\\1\n\t – ü 😀 '; DROP TABLE claims; --");
        fields.put("assigneeName", "");
        fields.put("slaDeadline", "2026-03-01T10:15:30.123456789Z");
        fields.put("amountClaimed", "1E+3");
        fields.put("lastEventAt", "2026-03-01T11:15:30.9999999+01:00");

        Exchange written = producer.send("direct:claims-table-sync", exchange -> exchange.getMessage().setBody(
                new IntegrationBatch(List.of(), List.of(), List.of(fields), List.of(), Map.of())));

        assertThat(written.getException()).isNull();
        Map<String, Object> expected = ClaimsTableRows.row(fields);
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT * FROM claims")) {
            assertThat(row.next()).isTrue();
            for (ClaimsTableRows.Column column : ClaimsTableRows.CLAIMS) {
                Object want = expected.get(column.name());
                Object got = column.kind() == ClaimsTableRows.Kind.TIMESTAMP
                        ? row.getObject(column.name(), java.time.OffsetDateTime.class) : row.getObject(column.name());
                if (want == null) {
                    assertThat(got).as(column.name()).isNull();
                } else if (want instanceof java.time.OffsetDateTime time) {
                    assertThat(((java.time.OffsetDateTime) got).toInstant()).as(column.name()).isEqualTo(time.toInstant());
                } else if (want instanceof java.math.BigDecimal number) {
                    assertThat((java.math.BigDecimal) got).as(column.name()).isEqualByComparingTo(number);
                } else if (want instanceof java.time.LocalDate date) {
                    assertThat(((java.sql.Date) got).toLocalDate()).as(column.name()).isEqualTo(date);
                } else if (want instanceof Number number) {
                    assertThat(((Number) got).longValue()).as(column.name()).isEqualTo(number.longValue());
                } else {
                    assertThat(got).as(column.name()).isEqualTo(want);
                }
            }
            assertThat(row.next()).isFalse();
        }
    }

    @Test
    void onPostgresqlTextAndTimestampsAreWrittenAsTheSnapshotHasThem() throws Exception {
        textAndTimestampsAreWrittenAsTheSnapshotHasThem(LegacyDatabase.postgres());
    }

    @Test
    void onH2TextAndTimestampsAreWrittenAsTheSnapshotHasThem() throws Exception {
        textAndTimestampsAreWrittenAsTheSnapshotHasThem(LegacyDatabase.h2(h2Dir));
    }

    @Test
    void entriesThatAreNotTheirClaimStreamsEventsAreDeadLetteredAndTheirNeighboursWritten() throws Exception {
        ProducerTemplate producer = start(LegacyDatabase.h2(h2Dir));
        String claimId = claimIds.get(1);
        List<RedisStreamsEntry> ofClaim = log.stream().filter(e -> claimId.equals(e.fields().get("claimId"))).toList();
        RedisStreamsEntry first = ofClaim.get(0);
        Map<String, String> forgedFields = new LinkedHashMap<>(first.fields());
        forgedFields.put("eventId", "00000000-0000-0000-0000-000000000000");
        Map<String, String> noClaim = new LinkedHashMap<>(first.fields());
        noClaim.remove("claimId");
        List<RedisStreamsEntry> batch = new ArrayList<>(ofClaim);
        batch.add(new RedisStreamsEntry("1-1", forgedFields, 1));
        // the genuine submission's fields under another log entry id: a copy XADDed to the log
        batch.add(new RedisStreamsEntry("1-2", first.fields(), 1));
        batch.add(new RedisStreamsEntry("1-3", noClaim, 1));

        Exchange done = producer.send("direct:integrations", exchange -> exchange.getMessage().setBody(batch));

        assertThat(done.getException()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, String> deadLetters = done.getProperty(RedisStreamsConstants.BATCH_DEAD_LETTER, Map.class);
        assertThat(deadLetters).containsOnlyKeys("1-1", "1-2", "1-3");
        assertThat(deadLetters.get("1-1")).contains("never appended");
        assertThat(deadLetters.get("1-2")).contains("a copy or a forgery");
        assertThat(deadLetters.get("1-3")).contains("claimId");
        assertThat(ClaimsTableCheck.claimsDifferences(database.dataSource(), List.of(claimId))).isEmpty();
        // the copy was not handed to the policy check: only the genuine entry was
        assertThat(workStreamEventIds(keys.policyChecks())).containsExactly(first.fields().get("eventId"));
    }

    @Test
    void aDatabaseThatIsAwayFailsTheBatchAndTheSameBatchIsWrittenWhenItIsBack() throws Exception {
        ProducerTemplate producer = start(LegacyDatabase.postgres());
        String claimId = claimIds.get(2);
        List<RedisStreamsEntry> batch = log.stream().filter(e -> claimId.equals(e.fields().get("claimId"))).toList();

        // the database away: the batch exchange fails, so the consumer leaves every entry pending (none acknowledged)
        down.set(true);
        Exchange failed = producer.send("direct:integrations", exchange -> exchange.getMessage().setBody(batch));
        assertThat(failed.getException()).hasMessageContaining("claims database is away");
        assertThat(failed.getProperty(RedisStreamsConstants.BATCH_DEAD_LETTER)).isNull();

        // back: the redelivered batch writes the claim and its events
        down.set(false);
        Exchange done = producer.send("direct:integrations", exchange -> exchange.getMessage().setBody(batch));
        assertThat(done.getException()).isNull();
        assertThat(ClaimsTableCheck.claimsDifferences(database.dataSource(), List.of(claimId))).isEmpty();
        assertThat(ClaimsTableCheck.count(database.dataSource(), "claim_events")).isEqualTo(batch.size());
    }

    private static List<String> eventIds(String eventType) {
        return log.stream().filter(e -> eventType.equals(e.fields().get("eventType")))
                .map(e -> e.fields().get("eventId")).toList();
    }

    private static List<String> workStreamEventIds(String stream) {
        return ClaimLifecycles.readLog(stream).stream().map(e -> e.fields().get("eventId")).toList();
    }
}
