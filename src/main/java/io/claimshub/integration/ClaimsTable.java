package io.claimshub.integration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The legacy database the claims table lives in: its data source, its SQL dialect (the upserts differ: PostgreSQL's
 * {@code INSERT ... ON CONFLICT}, H2's {@code MERGE}; the statements are {@code sql/claims-upsert.<dialect>.sql} and
 * {@code sql/claim-events-insert.<dialect>.sql}), and the schema ({@code sql/claims-table.sql}), created on first
 * use. A database that is away at that point fails the batch, which is retried; the schema is tried again then.
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
