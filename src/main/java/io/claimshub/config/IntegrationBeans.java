package io.claimshub.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.integration.ClaimsTable;
import io.claimshub.integration.IntegrationBatches;
import io.claimshub.integration.IntegrationKeys;
import javax.sql.DataSource;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code integrations} group's beans (docs/adapters.md): the work-stream keys, the batch steps, and the claims
 * table's database (a HikariCP pool, created on first use, so a hub with {@code hub.claims-table.enabled=false} never
 * opens one). Lazy where they need RedisSetup's connection factory.
 */
public class IntegrationBeans implements CamelConfiguration {

    @PropertyInject("hub.policy.enabled")
    private boolean policyEnabled;
    @PropertyInject("hub.integrations.namespace")
    private String namespace;
    @PropertyInject("hub.claims-table.jdbc-url")
    private String jdbcUrl;
    @PropertyInject("hub.claims-table.user")
    private String user;
    @PropertyInject("hub.claims-table.password")
    private String password;
    @PropertyInject("hub.claims-table.pool-size")
    private int poolSize;
    @PropertyInject("hub.claims-table.connect-timeout")
    private long connectTimeout;

    private HikariDataSource dataSource;
    private ClaimsTable claimsTable;

    @BindToRegistry("integrationKeys")
    public IntegrationKeys integrationKeys() {
        return new IntegrationKeys(namespace);
    }

    @BindToRegistry(value = "integrationBatches", lazy = true)
    public IntegrationBatches integrationBatches(RedisConnectionFactory redisConnectionFactory) {
        return new IntegrationBatches(redisConnectionFactory, integrationKeys(), new ClaimLifecycle(), policyEnabled);
    }

    /** The claims table's database; named in the routes' {@code sql:} endpoints as {@code #claimsDataSource}. */
    @BindToRegistry(value = "claimsDataSource", lazy = true)
    public synchronized DataSource claimsDataSource() {
        if (dataSource == null) {
            ClaimsTable.dialectOf(jdbcUrl);
            HikariConfig config = new HikariConfig();
            config.setPoolName("claims-table");
            config.setJdbcUrl(jdbcUrl.trim());
            if (user != null && !user.isBlank()) {
                config.setUsername(user);
            }
            if (password != null && !password.isEmpty()) {
                config.setPassword(password);
            }
            config.setMaximumPoolSize(Math.max(1, poolSize));
            config.setMinimumIdle(1);
            config.setConnectionTimeout(Math.max(250, connectTimeout));
            config.setValidationTimeout(Math.max(250, Math.min(connectTimeout, 5000)));
            // a database away at start fails the first batch (retried), not the hub's start
            config.setInitializationFailTimeout(-1);
            dataSource = new HikariDataSource(config);
        }
        return dataSource;
    }

    @BindToRegistry(value = "claimsTable", lazy = true)
    public synchronized ClaimsTable claimsTable() {
        if (claimsTable == null) {
            claimsTable = new ClaimsTable(claimsDataSource(), jdbcUrl);
        }
        return claimsTable;
    }

    @Override
    public void configure(CamelContext camelContext) {
        camelContext.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext context) {
                closeDataSource();
            }
        });
    }

    private synchronized void closeDataSource() {
        if (dataSource != null) {
            dataSource.close();
            dataSource = null;
            claimsTable = null;
        }
    }
}
