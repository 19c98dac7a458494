package io.claimshub.integration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.micrometer.MicrometerComponent;

/**
 * The legacy database the claims table lives in: its data source, its SQL dialect, the schema
 * ({@code sql/claims-table.sql}, created on first use; a database that is away at that point fails the batch, which
 * is retried, and the schema is tried again then), and a batch's rows in the form the dialect's statements take
 * ({@link #prepare}). PostgreSQL writes a batch with one statement ({@code sql/claims-sync.postgresql.sql}: both
 * tables from two JSON arrays, one round trip, one transaction); H2 with a batch of {@code MERGE}s per table
 * ({@code sql/claim-events-insert.h2.sql}, {@code sql/claims-upsert.h2.sql}).
 */
public final class ClaimsTable {

    public static final String SCHEMA = "sql/claims-table.sql";

    private final DataSource dataSource;
    private final String dialect;
    private volatile boolean schemaReady;

    public ClaimsTable(DataSource dataSource, String jdbcUrl) {
        this.dataSource = dataSource;
        this.dialect = dialectOf(jdbcUrl);
    }

    /** {@code postgresql} or {@code h2}, from the JDBC URL. */
    public static String dialectOf(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl.trim();
        if (url.startsWith("jdbc:postgresql:")) {
            return "postgresql";
        }
        if (url.startsWith("jdbc:h2:")) {
            return "h2";
        }
        throw new IllegalArgumentException("hub.claims-table.jdbc-url must be a PostgreSQL (jdbc:postgresql:) or H2 "
                + "(jdbc:h2:) URL");
    }

    public String dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Exchange variables {@link #prepare} sets for the route (routes/integrations/integrations.camel.yaml). */
    public static final String DIALECT = "claimsTableDialect";
    public static final String ROWS = "claimsTableRows";
    public static final String EVENT_ROWS = "claimsTableEventRows";
    public static final String CLAIM_ROWS = "claimsTableClaimRows";
    public static final String EVENTS_WRITTEN = "claimsTableEventsWritten";
    public static final String CLAIMS_WRITTEN = "claimsTableClaimsWritten";
    public static final String WRITE_STARTED = "claimsTableWriteStarted";

    /** The timer of a batch's writes, {@code claimshub_claims_table_write_seconds} on /observe/metrics. */
    public static final String WRITE_TIMER = "claimshub.claims.table.write";

    private volatile Timer writeTimer;

    /**
     * The batch's rows for the dialect's statements: on PostgreSQL the body becomes the parameters of the one
     * statement ({@code events} and {@code claims}, JSON arrays); on H2 the rows (JDBC values) go to the variables
     * {@value #EVENT_ROWS} and {@value #CLAIM_ROWS} (unset when there are none). Sets {@value #DIALECT}, and {@value #ROWS}, the number of rows to
     * write (0: nothing to write).
     */
    public void prepare(IntegrationBatch batch, Exchange exchange) {
        exchange.setVariable(WRITE_STARTED, System.nanoTime());
        exchange.setVariable(DIALECT, dialect);
        exchange.setVariable(ROWS, batch.events().size() + batch.claims().size());
        exchange.setVariable(EVENTS_WRITTEN, 0);
        exchange.setVariable(CLAIMS_WRITTEN, 0);
        if ("postgresql".equals(dialect)) {
            Map<String, Object> parameters = new HashMap<>();
            parameters.put("events", ClaimsTableRows.eventsJson(batch.events()));
            parameters.put("claims", ClaimsTableRows.claimsJson(batch.claims()));
            exchange.getMessage().setBody(parameters);
        } else {
            exchange.setVariable(EVENT_ROWS, batch.events().isEmpty() ? null : batch.eventRows());
            exchange.setVariable(CLAIM_ROWS, batch.claims().isEmpty() ? null : batch.claimRows());
        }
    }

    /**
     * After PostgreSQL's statement: its answer (one row, {@code events_written} and {@code claims_written}: rows
     * inserted or moved forward) into the variables {@value #EVENTS_WRITTEN} and {@value #CLAIMS_WRITTEN}.
     */
    public void written(Map<String, Object> counts, Exchange exchange) {
        exchange.setVariable(EVENTS_WRITTEN, ((Number) counts.get("events_written")).longValue());
        exchange.setVariable(CLAIMS_WRITTEN, ((Number) counts.get("claims_written")).longValue());
    }

    /**
     * Records the batch's write, from {@link #prepare} to now, on the timer {@value #WRITE_TIMER} in the registry the
     * route's micrometer endpoints use, tagged like theirs. Timed here rather than by a {@code micrometer:timer}
     * endpoint, which converts its action to an enum through Camel's type converters on every call, a search of the
     * converter registry that cost more than the rest of a batch's route steps.
     */
    public void timeWrite(Exchange exchange) {
        Long started = exchange.getVariable(WRITE_STARTED, Long.class);
        if (started == null) {
            return;
        }
        Timer timer = writeTimer;
        if (timer == null) {
            CamelContext context = exchange.getContext();
            MeterRegistry registry = context.getComponent("micrometer", MicrometerComponent.class).getMetricsRegistry();
            timer = Timer.builder(WRITE_TIMER).tags("camelContext", context.getName()).register(registry);
            writeTimer = timer;
        }
        timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** Creates the tables unless this instance already did (every statement is IF NOT EXISTS). */
    public void ensureSchema() throws SQLException {
        if (schemaReady) {
            return;
        }
        synchronized (this) {
            if (schemaReady) {
                return;
            }
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                for (String sql : statements(SCHEMA)) {
                    statement.execute(sql);
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
            schemaReady = true;
        }
    }

    /** The statements of a classpath SQL file: split at ';' ending a line, comment lines dropped. */
    public static List<String> statements(String resource) {
        String text;
        try (InputStream in = ClaimsTable.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL file on the classpath: " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder withoutComments = new StringBuilder();
        text.lines().filter(line -> !line.trim().startsWith("--")).forEach(line -> withoutComments.append(line).append('\n'));
        return Arrays.stream(withoutComments.toString().split(";\\s*\n")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }
}
