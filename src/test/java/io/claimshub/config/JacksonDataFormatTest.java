package io.claimshub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import io.claimshub.testsupport.TestHub;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Camel's Jackson data format in the hub writes and reads JSON by the hub's rules (the beans' ObjectMapper). */
@Tag("redis")
class JacksonDataFormatTest {

    private static TestHub hub;
    private static ProducerTemplate producer;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start(Map.of());
        producer = hub.context().createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void marshallingWritesDatesAsIsoTextAndDecimalsAsGiven() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("incidentDate", LocalDate.of(2026, 2, 27));
        claim.put("amount", new BigDecimal("1500.00"));

        String json = producer.requestBody("dataformat:jackson:marshal", claim, String.class);

        assertThat(json).isEqualTo("{\"incidentDate\":\"2026-02-27\",\"amount\":1500.00}");
    }

    @Test
    void aRoutesJsonMarshalUsesTheHubsRulesToo() throws Exception {
        PluginHelper.getRoutesLoader(hub.context()).loadRoutes(ResourceHelper.fromString("json-route.camel.yaml", """
                - route:
                    id: json-marshal
                    from:
                      uri: direct:json-marshal
                      steps:
                        - marshal:
                            json:
                              library: Jackson
                """));

        String json = producer.requestBody("direct:json-marshal", Map.of("incidentDate", LocalDate.of(2026, 2, 27)), String.class);

        assertThat(json).isEqualTo("{\"incidentDate\":\"2026-02-27\"}");
    }

    @Test
    void unmarshallingRefusesDuplicateKeysAndKeepsDecimalsExact() {
        Map<?, ?> read = producer.requestBody("dataformat:jackson:unmarshal", "{\"amount\":1500.10}", Map.class);
        assertThat(read.get("amount")).isEqualTo(new BigDecimal("1500.10"));

        assertThatThrownBy(() -> producer.requestBody("dataformat:jackson:unmarshal", "{\"amount\":-5,\"amount\":1500}"))
                .hasStackTraceContaining("Duplicate field 'amount'");
    }
}
