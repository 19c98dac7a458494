package io.claimshub.integration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A legacy database of the test's own: a uniquely named database on the machine's PostgreSQL (127.0.0.1:5432, user
 * postgres, trust auth), dropped on close, or an H2 file database in a directory of the test's.
 */
public final class LegacyDatabase implements AutoCloseable {

    public static final String POSTGRES_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    public static final String POSTGRES_USER = "postgres";

    private final String url;
    private final String user;
    private final String dropName;
    private final HikariDataSource dataSource;

    private LegacyDatabase(String url, String user, String dropName) {
        this.url = url;
        this.user = user;
        this.dropName = dropName;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(4);
        config.setPoolName("test-" + (dropName == null ? "h2" : dropName));
        this.dataSource = new HikariDataSource(config);
    }

    /** A new database on the machine's PostgreSQL. */
    public static LegacyDatabase postgres() throws SQLException {
        String name = "claims_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new LegacyDatabase("jdbc:postgresql://127.0.0.1:5432/" + name, POSTGRES_USER, name);
    }

    /** An H2 file database in {@code dir}, as the hub's default. */
    public static LegacyDatabase h2(Path dir) {
        return new LegacyDatabase("jdbc:h2:file:" + dir.resolve("claims").toAbsolutePath() + ";AUTO_SERVER=FALSE",
                "sa", null);
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public String dialect() {
        return ClaimsTable.dialectOf(url);
    }

    @Override
    public void close() throws SQLException {
        dataSource.close();
        if (dropName != null) {
            try (Connection admin = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, "");
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + dropName + " WITH (FORCE)");
            }
        }
    }
}
