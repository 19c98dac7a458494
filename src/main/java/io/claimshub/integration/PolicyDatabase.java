package io.claimshub.integration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy administration system's database: a small HikariCP pool (a down database fails a call after the connect
 * timeout instead of stopping the hub) and, for the quick start, the shipped schema ({@code sql/policy-schema.sql})
 * and sample policies ({@code config/policies.csv}) created when the {@code policies} table is missing.
 */
public final class PolicyDatabase {

    public static final String SCHEMA_RESOURCE = "sql/policy-schema.sql";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyDatabase.class);

    private PolicyDatabase() {
    }

    public static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize,
                                        long connectTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("policy-db");
        config.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isBlank()) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Math.max(250, connectTimeoutMillis));
        config.setValidationTimeout(Math.max(250, Math.min(connectTimeoutMillis, 5000)));
        // start even when the database is down: calls fail, retry and trip the breaker instead
        config.setInitializationFailTimeout(-1);
        config.setReadOnly(false);
        return new HikariDataSource(config);
    }

    /**
     * Creates the shipped schema and loads the sample policies, unless a {@code policies} table exists. A database
     * that cannot be reached is logged and left alone (the checks wait for it); a bad sample file stops the start
     * with its line.
     */
    public static void createIfMissing(DataSource dataSource, Path sampleFile) {
        try (Connection connection = dataSource.getConnection()) {
            if (hasPoliciesTable(connection)) {
                return;
            }
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements(schema())) {
                    statement.execute(sql);
                }
            }
            int loaded = sampleFile != null && Files.isRegularFile(sampleFile) ? load(connection, sampleFile) : 0;
            connection.commit();
            LOG.info("policy database: created the policy tables and loaded {} sample coverages from {}", loaded,
                    sampleFile);
        } catch (SQLException e) {
            LOG.warn("policy database: could not look for or create the policy tables ({}); policy checks wait until"
                    + " the database answers", e.getMessage());
        }
    }

    static boolean hasPoliciesTable(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String name : List.of("policies", "POLICIES")) {
            try (ResultSet tables = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    public static String schema() {
        try (InputStream in = PolicyDatabase.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script's statements: comments dropped, split at semicolons. */
    public static List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        for (String line : script.split("\n")) {
            int comment = line.indexOf("--");
            text.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String statement : text.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.trim());
            }
        }
        return statements;
    }

    /**
     * Loads a policies CSV (header {@code policy_number,status,valid_from,valid_to,currency,claim_type,coverage_limit,
     * deductible}, one line per covered claim type) into the shipped schema.
     *
     * @return coverages loaded
     * @throws IllegalArgumentException naming the file and line of a line that cannot be read
     */
    public static int load(Connection connection, Path csv) throws SQLException {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        Set<String> policies = new HashSet<>();
        int coverages = 0;
        try (PreparedStatement policy = connection.prepareStatement(
                "INSERT INTO policies (policy_number, status, valid_from, valid_to, currency) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement coverage = connection.prepareStatement("INSERT INTO policy_coverages"
                     + " (policy_number, claim_type, coverage_limit, deductible) VALUES (?, ?, ?, ?)")) {
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", -1);
                try {
                    if (f.length != 8) {
                        throw new IllegalArgumentException("expected 8 fields, found " + f.length);
                    }
                    String number = required(f[0], "policy_number");
                    if (policies.add(number)) {
                        policy.setString(1, number);
                        policy.setString(2, required(f[1], "status").toLowerCase(Locale.ROOT));
                        policy.setDate(3, Date.valueOf(LocalDate.parse(required(f[2], "valid_from"))));
                        policy.setDate(4, f[3].isBlank() ? null : Date.valueOf(LocalDate.parse(f[3].trim())));
                        policy.setString(5, required(f[4], "currency").toUpperCase(Locale.ROOT));
                        policy.executeUpdate();
                    }
                    coverage.setString(1, number);
                    coverage.setString(2, required(f[5], "claim_type").toLowerCase(Locale.ROOT));
                    coverage.setBigDecimal(3, new BigDecimal(required(f[6], "coverage_limit")));
                    coverage.setBigDecimal(4, new BigDecimal(required(f[7], "deductible")));
                    coverage.executeUpdate();
                    coverages++;
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    throw new IllegalArgumentException(csv + " line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return coverages;
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        return value.trim();
    }
}
