package io.claimshub.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.claimshub.testsupport.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy database down, then back: the hub reaches PostgreSQL through a TCP proxy the test stops and starts. While
 * it is down the claim stays {@code policyCheck: pending} and its work-stream entry pending (retried with back-off
 * behind the policy-db breaker); once it is back the claim is checked, exactly once.
 */
@Tag("redis")
class PolicyDatabaseOutageTest {

    @TempDir
    static Path dir;
    private static String database;
    private static TcpProxy proxy;
    private static PolicyHub hub;

    @BeforeAll
    static void boot() throws Exception {
        database = PolicyDatabases.createPostgresDatabase();
        PolicyDatabases.createSchemaAndLoad(PolicyDatabases.pgUrl(PolicyDatabases.PG_PORT, database),
                PolicyDatabases.PG_USER, PolicyDatabases.policiesCsv(dir));
        proxy = new TcpProxy(TestRedis.freePort(), PolicyDatabases.PG_HOST, PolicyDatabases.PG_PORT);
        proxy.start();
        hub = new PolicyHub(dir, PolicyDatabases.pgUrl(proxy.port(), database), PolicyDatabases.PG_USER, Map.of(
                "hub.policy.connect-timeout", "500",
                "hub.policy.query-timeout", "2",
                "hub.policy.retries", "1000",
                "hub.policy.retry-delay", "100",
                "hub.policy.retry-max-delay", "400",
                "hub.policy.breaker-open", "1"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            PolicyDatabases.dropPostgresDatabase(database);
        }
    }

    @Test
    void aClaimWaitsPendingWhileThePolicyDatabaseIsDownAndIsCheckedOnceWhenItIsBack() throws Exception {
        // a check while the database is up fills the pool: cutting the proxy also breaks those connections
        String before = hub.submit(PolicyDatabases.COVERED, "100.00");
        hub.handToPolicyAdapter(before);
        assertThat(hub.awaitPolicyChecked(before).get("policyCheck").asText()).isEqualTo("covered");

        proxy.stop();
        String claimId = hub.submit(PolicyDatabases.COVERED, "1500.00");
        hub.handToPolicyAdapter(claimId);
        hub.handToPolicyAdapter(claimId);

        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(15)).until(() ->
                "pending".equals(hub.claim(claimId).get("policyCheck").asText()) && hub.policyEvents(claimId).isEmpty());
        assertThat(PolicyHub.REDIS.opsForStream().pending(hub.keys.policyChecks(), "integrations-policy")
                .getTotalPendingMessages()).isPositive();
        assertThat(PolicyHub.REDIS.opsForStream().size(hub.stream + ":dlq")).isZero();

        proxy.start();

        assertThat(hub.awaitPolicyChecked(claimId).get("policyCheck").asText()).isEqualTo("covered");
        await().atMost(Duration.ofSeconds(30)).until(() -> PolicyHub.REDIS.opsForStream()
                .pending(hub.keys.policyChecks(), "integrations-policy").getTotalPendingMessages() == 0);
        assertThat(hub.policyEvents(claimId)).hasSize(1);
        assertThat(hub.policyEvents(before)).hasSize(1);
        assertThat(PolicyHub.REDIS.opsForStream().size(hub.stream + ":dlq")).isZero();
    }
}
