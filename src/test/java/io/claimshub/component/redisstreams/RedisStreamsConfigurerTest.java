package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.claimshub.config.RedisConnectionFactories;
import io.claimshub.config.RedisConnectionSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.spi.GeneratedPropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The component's options are bound by the configurers generated from its annotations (not by reflection), and its
 * catalog metadata ships with it; no Redis server is contacted.
 */
class RedisStreamsConfigurerTest {

    private CamelContext context;
    private JedisConnectionFactory factory;

    @BeforeEach
    void setUp() {
        context = new DefaultCamelContext();
        factory = RedisConnectionFactories.jedis(RedisConnectionSettings.parse("redis://127.0.0.1:1", null, null,
                Duration.ofSeconds(5), 2));
        context.getRegistry().bind("redisConnectionFactory", factory);
        context.start();
    }

    @AfterEach
    void tearDown() {
        context.stop();
        factory.destroy();
    }

    @Test
    void theComponentsOptionsAreSetThroughItsGeneratedConfigurer() {
        RedisStreamsComponent component = context.getComponent("redis-streams", RedisStreamsComponent.class);

        PropertyConfigurer configurer = component.getComponentPropertyConfigurer();

        assertThat(configurer).isInstanceOf(GeneratedPropertyConfigurer.class);
        assertThat(configurer.configure(context, component, "count", "7", false)).isTrue();
        assertThat(component.getConfiguration().getCount()).isEqualTo(7);
    }

    @Test
    void theEndpointsOptionsAreSetThroughItsGeneratedConfigurer() {
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:claims:events?group=g&readDelay=25",
                RedisStreamsEndpoint.class);

        PropertyConfigurer configurer = endpoint.getComponent().getEndpointPropertyConfigurer();

        assertThat(configurer).isInstanceOf(GeneratedPropertyConfigurer.class);
        assertThat(endpoint.getConfiguration().getReadDelay()).isEqualTo(25);
        assertThat(configurer.configure(context, endpoint, "maxdeliveries", "9", true)).isTrue();
        assertThat(endpoint.getConfiguration().getMaxDeliveries()).isEqualTo(9);
    }

    @Test
    void theCatalogDescribesTheComponentAndItsUrisAreBuiltByItsGeneratedFactory() throws Exception {
        assertThat(PluginHelper.getRuntimeCamelCatalog(context).componentJSonSchema("redis-streams"))
                .contains("\"scheme\": \"redis-streams\"").contains("\"readDelay\"").contains("\"claimMinIdle\"");

        EndpointUriFactory uris = PluginHelper.getUriFactoryResolver(context).resolveFactory("redis-streams", context);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("streamKey", "claims:events");
        options.put("group", "processors");
        assertThat(uris).isNotNull();
        assertThat(uris.buildUri("redis-streams", options)).isEqualTo("redis-streams:claims:events?group=processors");
    }
}
