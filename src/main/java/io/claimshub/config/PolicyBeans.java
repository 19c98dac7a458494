package io.claimshub.config;

import java.nio.file.Path;
import java.time.Clock;

import com.zaxxer.hikari.HikariDataSource;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.integration.IntegrationKeys;
import io.claimshub.integration.PolicyChecks;
import io.claimshub.integration.PolicyDatabase;
import io.claimshub.store.ClaimEventStore;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The policy adapter's beans (docs/adapters.md): the policy database's connection pool ({@code policyDataSource},
 * used by the camel-sql endpoint of routes/integrations/policy-check.camel.yaml), the steps around the query and the
 * adapter's view of the integration keys. The quick-start schema and sample policies are created at start when the
 * {@code policies} table is missing and {@code hub.policy.schema-init} is {@code if-missing}.
 */
public class PolicyBeans implements CamelConfiguration {

    @PropertyInject("hub.integrations.namespace")
    private String namespace;
    @PropertyInject("hub.policy.jdbc-url")
    private String jdbcUrl;
    @PropertyInject("hub.policy.user")
    private String user;
    @PropertyInject("hub.policy.password")
    private String password;
    @PropertyInject("hub.policy.pool-size")
    private int poolSize;
    @PropertyInject("hub.policy.connect-timeout")
    private long connectTimeout;
    @PropertyInject("hub.policy.schema-init")
    private String schemaInit;
    @PropertyInject("hub.policy.sample-file")
    private String sampleFile;

    private HikariDataSource dataSource;

    /** Named apart from the integrations group's own {@code integrationKeys} bean; the same key patterns. */
    @BindToRegistry("policyIntegrationKeys")
    public IntegrationKeys policyIntegrationKeys() {
        return new IntegrationKeys(namespace);
    }

    @BindToRegistry("policyDataSource")
    public synchronized HikariDataSource policyDataSource() {
        if (dataSource == null) {
            dataSource = PolicyDatabase.pool(jdbcUrl, user, password, poolSize, connectTimeout);
        }
        return dataSource;
    }

    @BindToRegistry(value = "policyChecks", lazy = true)
    public PolicyChecks policyChecks(ClaimEventStore claimEventStore) {
        return new PolicyChecks(claimEventStore, new ClaimLifecycle(), Clock.systemUTC());
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        String init = schemaInit == null ? "if-missing" : schemaInit.trim();
        if (!init.equals("if-missing") && !init.equals("never")) {
            throw new IllegalArgumentException("hub.policy.schema-init must be if-missing or never, was '" + init + "'");
        }
        HikariDataSource pool = policyDataSource();
        if (init.equals("if-missing")) {
            PolicyDatabase.createIfMissing(pool, sampleFile == null || sampleFile.isBlank() ? null : Path.of(sampleFile));
        }
        // the pool closes with the hub
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                pool.close();
            }
        });
    }
}
