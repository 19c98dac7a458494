package io.claimshub.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

/**
 * The policy databases the tests check against: a PostgreSQL database of its own on the machine's server
 * (127.0.0.1:5432, user postgres, trust), or an H2 in-memory database; each gets the shipped schema and the test's
 * policies, whose dates lie around today so that the claims' incident dates raise no fraud flag.
 */
final class PolicyDatabases {

    static final String PG_HOST = "127.0.0.1";
    static final int PG_PORT = 5432;
    static final String PG_USER = "postgres";

    /** In force around today, EUR, covers auto: limit 2000.00, deductible 200.00. */
    static final String COVERED = "POL-T-COVER";
    /** Lapsed a month ago (auto). */
    static final String LAPSED = "POL-T-LAPSE";
    /** In force, covers property only. */
    static final String PROPERTY_ONLY = "POL-T-HOME";
    /** Not in the policy system. */
    static final String UNKNOWN = "POL-T-NONE";

    private PolicyDatabases() {
    }

    /** The day the tests' claims happened: ten days ago (UTC). */
    static LocalDate incidentDate() {
        return LocalDate.now(ZoneOffset.UTC).minusDays(10);
    }

    /** The tests' policies as a policies CSV (the format of config/policies.csv), written into {@code dir}. */
    static Path policiesCsv(Path dir) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String csv = "policy_number,status,valid_from,valid_to,currency,claim_type,coverage_limit,deductible\n"
                + COVERED + ",active," + today.minusDays(400) + "," + today.plusDays(400) + ",EUR,auto,2000.00,200.00\n"
                + LAPSED + ",lapsed," + today.minusDays(800) + "," + today.minusDays(30) + ",EUR,auto,5000.00,0.00\n"
                + PROPERTY_ONLY + ",active," + today.minusDays(400) + ",,EUR,property,50000.00,500.00\n";
        try {
            return Files.writeString(dir.resolve("policies.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the shipped schema and loads the CSV into the database at {@code jdbcUrl}. */
    static void createSchemaAndLoad(String jdbcUrl, String user, Path csv) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, "")) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : PolicyDatabase.statements(PolicyDatabase.schema())) {
                    statement.execute(sql);
                }
            }
            PolicyDatabase.load(connection, csv);
            connection.commit();
        }
    }

    static String h2Url() {
        return "jdbc:h2:mem:policy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /** A new, uniquely named PostgreSQL database; its name. */
    static String createPostgresDatabase() throws SQLException {
        String name = "policy_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(pgUrl(PG_PORT, "postgres"), PG_USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    static void dropPostgresDatabase(String name) throws SQLException {
        try (Connection admin = DriverManager.getConnection(pgUrl(PG_PORT, "postgres"), PG_USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    static String pgUrl(int port, String database) {
        return "jdbc:postgresql://" + PG_HOST + ":" + port + "/" + database;
    }
}
