package io.claimshub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.claimshub.testsupport.HubRoutes;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The route template every REST operation is made from: the bean method named per operation answers, the answer is
 * rendered as the HTTP response, and a failure is a problem+json 500 through the api-errors route configuration.
 */
class ApiOperationTemplateTest {

    /** An operation added the way the API's are. */
    private static final String GREETING_OPERATION = """
            - templatedRoute:
                routeTemplateRef: api-operation
                routeId: greet
                parameters:
                  - { name: operation, value: greet }
                  - { name: bean, value: greeter }
                  - { name: method, value: "greet(${header.name})" }
            """;

    private CamelContext context;

    /** The operation's bean: greets by name, fails without one. */
    public static final class Greeter {
        public ApiResponse greet(String name) {
            if (name == null) {
                throw new IllegalStateException("no name given");
            }
            return ApiResponse.json(200, JsonNodeFactory.instance.objectNode().put("greeting", "hello " + name));
        }
    }

    @BeforeEach
    void start() throws Exception {
        context = HubRoutes.context(Map.of());
        context.getRegistry().bind("greeter", new Greeter());
        context.getRegistry().bind("claimsApi", new ClaimsApi(null, null, null, 262_144));
        context.getRegistry().bind("apiResponseWriter", new ApiResponseWriter());
        HubRoutes.start(context, List.of("configuration/api-errors", "templates/api-operation"), GREETING_OPERATION);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void theOperationsBeanAnswersAndItsAnswerIsRendered() {
        Exchange answer = context.createProducerTemplate().request("direct:greet", e -> e.getMessage().setHeader("name", "Ada"));

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(answer.getMessage().getHeader(ApiResponse.CONTENT_TYPE)).isEqualTo(ApiResponse.JSON);
        assertThat(answer.getMessage().getBody(String.class)).isEqualTo("{\"greeting\":\"hello Ada\"}");
    }

    @Test
    void aFailingOperationIsAProblemJson500() {
        Exchange answer = context.createProducerTemplate().request("direct:greet", e -> { });

        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(answer.getMessage().getHeader(ApiResponse.CONTENT_TYPE)).isEqualTo(ApiResponse.PROBLEM_JSON);
        assertThat(answer.getMessage().getBody(String.class)).doesNotContain("no name given");
    }
}
