package io.claimshub.integration;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/** The policy check scenarios against an H2 policy database. */
@Tag("redis")
class PolicyCheckH2Test extends PolicyCheckScenarios {

    @TempDir
    static Path dir;
    private static PolicyHub hub;

    @BeforeAll
    static void boot() throws Exception {
        String url = PolicyDatabases.h2Url();
        PolicyDatabases.createSchemaAndLoad(url, "sa", PolicyDatabases.policiesCsv(dir));
        hub = new PolicyHub(dir, url, "sa", Map.of());
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Override
    PolicyHub hub() {
        return hub;
    }
}
