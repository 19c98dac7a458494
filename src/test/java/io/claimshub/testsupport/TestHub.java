package io.claimshub.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.claimshub.HubApplication;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The whole hub booted with Camel Main, as the jar boots it, on the test Redis and free ports. A test passes the
 * settings that make it its own (stream, roster, ...); they override the defaults here.
 */
public final class TestHub implements AutoCloseable {

    /**
     * The administrator API key every test hub is given (hub.api.bootstrap-key, HUB_API_BOOTSTRAP_KEY): a test calling
     * the API sends it in the {@code X-API-Key} header unless it tests authentication itself.
     */
    public static final String API_KEY = "test-admin-key-7c1f0e2a9b4d4e6f8a3b5c7d9e1f2a4b";

    /**
     * The master key (base64, 32 bytes) of every test hub unless a test gives its own: hubs of one test that share
     * Redis read each other's personal data, and no test writes a key file into the project's ./data.
     */
    public static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LW5vdC1mb3ItcHJvZC0zMmI=";

    private final Main main;
    private final Map<String, String> settings;
    private final int serverPort;
    private final int managementPort;

    private TestHub(Map<String, String> settings) throws Exception {
        serverPort = TestRedis.freePort();
        managementPort = TestRedis.freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("camel.server.port", Integer.toString(serverPort));
        all.put("camel.management.port", Integer.toString(managementPort));
        // the package scan also sees the test classpath; its route builders belong to other tests
        all.put("camel.main.java-routes-exclude-pattern", "**/*Test*");
        all.put("hub.processing.namespace", TestRedis.uniqueKey("hub"));
        all.put("hub.analytics.namespace", TestRedis.uniqueKey("hub"));
        // the integrations group's claims table: an in-memory H2 database of this hub's (gone when it stops), not
        // the default file database under ./data
        all.put("hub.claims-table.jdbc-url", "jdbc:h2:mem:claims-" + java.util.UUID.randomUUID());
        // the daily compliance mail would add a message to tests counting theirs: a test that wants it sets this
        all.put("hub.compliance.check-interval", "3600000");
        all.put("hub.api.bootstrap-key", API_KEY);
        // the hub pays approved claims itself (file mode by default); tests of other features push their own payment
        // events, so their hubs leave payments to them: the payment tests set the mode they test
        all.put("hub.payment.mode", "off");
        all.put("hub.security.master-key", MASTER_KEY);
        // approvals wait for the policy check (hub.policy.enabled); tests of other features approve claims whose
        // policies are in no policy database: the policy tests, and those that go through the check, switch it on
        all.put("hub.policy.enabled", "false");
        // the adapters' work streams and the policy database are each test hub's own (in memory, the shipped
        // schema and config/policies.csv loaded at start), never the quick start's ./data/policy
        all.put("hub.integrations.namespace", TestRedis.uniqueKey("hub"));
        all.put("hub.policy.jdbc-url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        all.putAll(settings);
        all.computeIfAbsent("hub.redis.url", key -> TestRedis.url());
        this.settings = Map.copyOf(all);
        main = new Main(HubApplication.class);
        all.forEach(main::addOverrideProperty);
        main.start();
    }

    public static TestHub start(Map<String, String> settings) throws Exception {
        return new TestHub(settings);
    }

    /** Stops the hub, if it started, and deletes the events stream it was given and that stream's dead letters. */
    public static void stop(TestHub hub, String eventsStream) {
        if (hub != null) {
            hub.close();
        }
        TestRedis.template().delete(List.of(eventsStream, eventsStream + ":dlq"));
    }

    /** {@code http://127.0.0.1:<camel.server.port>} */
    public String apiBase() {
        return "http://127.0.0.1:" + serverPort;
    }

    /** {@code http://127.0.0.1:<camel.management.port>} */
    public String managementBase() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** A setting this hub was started with (the test's own, or the test defaults above); null if none was given. */
    public String setting(String name) {
        return settings.get(name);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
