package io.claimshub.integration;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy check scenarios against PostgreSQL (127.0.0.1:5432): a database of the test's own, with the shipped
 * schema and the test's policies, dropped afterwards.
 */
@Tag("redis")
class PolicyCheckPostgresTest extends PolicyCheckScenarios {

    @TempDir
    static Path dir;
    private static String database;
    private static PolicyHub hub;

    @BeforeAll
    static void boot() throws Exception {
        database = PolicyDatabases.createPostgresDatabase();
        String url = PolicyDatabases.pgUrl(PolicyDatabases.PG_PORT, database);
        PolicyDatabases.createSchemaAndLoad(url, PolicyDatabases.PG_USER, PolicyDatabases.policiesCsv(dir));
        hub = new PolicyHub(dir, url, PolicyDatabases.PG_USER, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (database != null) {
            PolicyDatabases.dropPostgresDatabase(database);
        }
    }

    @Override
    PolicyHub hub() {
        return hub;
    }
}
