package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.claimshub.config.RedisConnectionFactories;
import io.claimshub.config.RedisConnectionSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.spi.GeneratedPropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.BridgeExceptionHandlerToErrorHandler;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * URI parsing, option validation and the generated configurers and catalog; no Redis server is contacted.
 */
class RedisStreamsComponentTest {

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
    void aConsumerLogsItsFailuresCountedUnlessTheRouteTakesThemOver() throws Exception {
        RedisStreamsEndpoint plain = context.getEndpoint("redis-streams:claims:events?group=g", RedisStreamsEndpoint.class);
        RedisStreamsEndpoint bridged = context.getEndpoint("redis-streams:claims:events?group=g&bridgeErrorHandler=true",
                RedisStreamsEndpoint.class);

        assertThat(((RedisStreamsConsumer) plain.createConsumer(exchange -> { })).getExceptionHandler())
                .isInstanceOf(ConsumerFailureLog.class);
        assertThat(((RedisStreamsConsumer) bridged.createConsumer(exchange -> { })).getExceptionHandler())
                .isInstanceOf(BridgeExceptionHandlerToErrorHandler.class);
    }

    @Test
    void parsesTheStreamKeyAndOptionsIntoTheConfiguration() {
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:claims:events?group=processors&consumerName=hub-a"
                                                            + "&concurrentConsumers=3&count=50&block=500&claimMinIdle=1000"
                                                            + "&maxDeliveries=7&startPosition=latest&maxLen=1000",
                RedisStreamsEndpoint.class);

        RedisStreamsConfiguration configuration = endpoint.getConfiguration();
        assertThat(configuration.getStreamKey()).isEqualTo("claims:events");
        assertThat(configuration.getGroup()).isEqualTo("processors");
        assertThat(configuration.getConsumerName()).isEqualTo("hub-a");
        assertThat(configuration.getConcurrentConsumers()).isEqualTo(3);
        assertThat(configuration.getCount()).isEqualTo(50);
        assertThat(configuration.getBlock()).isEqualTo(500);
        assertThat(configuration.getClaimMinIdle()).isEqualTo(1000);
        assertThat(configuration.getMaxDeliveries()).isEqualTo(7);
        assertThat(configuration.getStartPosition()).isEqualTo(StartPosition.latest);
        assertThat(configuration.getMaxLen()).isEqualTo(1000);
        assertThat(configuration.resolvedDeadLetterStream()).isEqualTo("claims:events:dlq");
        assertThat(endpoint.getConnectionFactory()).isSameAs(factory);
    }

    @Test
    void hasSafeDefaults() {
        RedisStreamsConfiguration configuration = context.getEndpoint("redis-streams:s?group=g", RedisStreamsEndpoint.class)
                .getConfiguration();

        assertThat(configuration.getStartPosition()).isEqualTo(StartPosition.beginning);
        assertThat(configuration.getConcurrentConsumers()).isEqualTo(1);
        assertThat(configuration.getMaxDeliveries()).isEqualTo(5);
        assertThat(configuration.getBlock()).isLessThan(configuration.getClaimMinIdle());
        assertThat(configuration.isBatching()).isFalse();
    }

    @Test
    void batchingIsAnOptionOfTheEndpointAndTheCatalog() {
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:claims:events?group=analytics&batching=true",
                RedisStreamsEndpoint.class);

        assertThat(endpoint.getConfiguration().isBatching()).isTrue();
        assertThat(PluginHelper.getRuntimeCamelCatalog(context).componentJSonSchema("redis-streams"))
                .contains("\"batching\"");
    }

    @Test
    void defaultConsumerNameIsHostAndProcessId() {
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:s?group=g", RedisStreamsEndpoint.class);

        assertThat(endpoint.baseConsumerName()).endsWith("-" + ProcessHandle.current().pid());
    }

    @Test
    void rejectsAnUnknownOption() {
        assertThatThrownBy(() -> context.getEndpoint("redis-streams:s?group=g&grup=x"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("grup");
    }

    @Test
    void rejectsAConsumerWithoutAGroup() {
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:s", RedisStreamsEndpoint.class);

        assertThatThrownBy(() -> endpoint.createConsumer(exchange -> {
        })).hasMessageContaining("group");
    }

    @Test
    void rejectsABlockThatOutlastsTheSocketTimeout() {
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:s?group=g&block=5000", RedisStreamsEndpoint.class);

        assertThatThrownBy(() -> endpoint.createConsumer(exchange -> {
        })).hasMessageContaining("socket timeout");
    }

    @Test
    void rejectsABlockOfZeroWhichWouldPollRedisInATightLoop() {
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:s?group=g&block=0", RedisStreamsEndpoint.class);

        assertThatThrownBy(() -> endpoint.createConsumer(exchange -> {
        })).hasMessageContaining("block must be at least 1 ms");
    }

    @Test
    void aDeletedGroupOrStreamIsRecognisedWhateverTheWrapping() {
        assertThat(RedisErrors.isNoGroup(new IllegalStateException("wrapped",
                new RuntimeException("NOGROUP No such key 's' or consumer group 'g'")))).isTrue();
        assertThat(RedisErrors.isNoGroup(new RuntimeException("UNBLOCKED the stream key no longer exists"))).isTrue();
        assertThat(RedisErrors.isNoGroup(new RuntimeException("Unexpected end of stream."))).isFalse();
        assertThat(RedisErrors.isBusyGroup(new RuntimeException("BUSYGROUP Consumer Group name already exists"))).isTrue();
    }

    // the options are bound by the configurers generated from the annotations (not by reflection), and the catalog
    // metadata ships with the component
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
