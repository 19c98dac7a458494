package io.claimshub.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimSnapshots;
import io.claimshub.testsupport.HubRoutesTestSupport;
import io.claimshub.testsupport.TestRedis;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The REST operation template (and its api-errors configuration) as the hub loads them, made into the GET-claim
 * operation on the real claims API bean over Redis; AdviceWith puts a mock endpoint where the response writer is, to
 * see what the operation hands it.
 */
@Tag("redis")
class ApiOperationRouteTest extends HubRoutesTestSupport {

    /** The GET-claim operation, as routes/api/claims-api.camel.yaml makes it from the template. */
    private static final String GET_CLAIM_OPERATION = """
            - templatedRoute:
                routeTemplateRef: api-operation
                routeId: get-claim
                parameters:
                  - { name: operation, value: get-claim }
                  - { name: bean, value: claimsApi }
                  - { name: method, value: "claim(${header.claimId}, ${header.asOf})" }
            """;

    @Override
    protected List<String> hubRouteFiles() {
        return List.of("configuration/api-errors", "templates/api-operation");
    }

    @Override
    protected String[] yamlRoutes() {
        return new String[] {GET_CLAIM_OPERATION};
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        ClaimEventStore store = new ClaimEventStore(TestRedis.connectionFactory(), TestRedis.uniqueKey("events"));
        ClaimSnapshots snapshots = new ClaimSnapshots(TestRedis.connectionFactory(), store, new ClaimLifecycle());
        registry.bind("claimsApi", new ClaimsApi(null, store, snapshots, 262_144));
        registry.bind("apiResponseWriter", new ApiResponseWriter());
    }

    /** Starts the operation with its response writer replaced by mock:response; answers that endpoint. */
    private MockEndpoint startWithTheResponseWriterMocked() throws Exception {
        AdviceWith.adviceWith(context, "get-claim",
                route -> route.weaveByType(ProcessDefinition.class).selectFirst().replace().to("mock:response"));
        context.start();
        return getMockEndpoint("mock:response");
    }

    @Test
    void theOperationHandsTheBeansAnswerForTheRequestToTheResponseWriter() throws Exception {
        // given the response writer replaced by a mock endpoint
        MockEndpoint response = startWithTheResponseWriterMocked();
        response.expectedMessageCount(1);
        response.expectedHeaderReceived("claimId", "CLM-0000NONE");
        response.message(0).body().isInstanceOf(ApiResponse.class);

        // when a claim nobody submitted is asked for
        template.send("direct:get-claim", e -> e.getMessage().setHeader("claimId", "CLM-0000NONE"));

        // expect the claims API's answer, a 404 problem, as the body the writer would render
        response.assertIsSatisfied();
        ApiResponse answer = response.getExchanges().get(0).getMessage().getBody(ApiResponse.class);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).isEqualTo(ApiResponse.PROBLEM_JSON);
        assertThat(answer.body().toString()).contains("CLM-0000NONE");
    }

    @Test
    void aBadClaimIdIsAnsweredByTheBeanWithoutReachingTheStore() throws Exception {
        MockEndpoint response = startWithTheResponseWriterMocked();
        response.expectedMessageCount(1);

        template.send("direct:get-claim", e -> e.getMessage().setHeader("claimId", "not-a-claim"));

        response.assertIsSatisfied();
        assertThat(response.getExchanges().get(0).getMessage().getBody(ApiResponse.class).status()).isEqualTo(400);
    }

    @Test
    void aFailingOperationStepIsRenderedAsAProblem500AndNeverReachesTheResponseStep() throws Exception {
        // given the operation's bean step failing, and the step after it watched by a mock endpoint
        AdviceWith.adviceWith(context, "get-claim", route -> {
            route.weaveByType(BeanDefinition.class).selectFirst().replace()
                    .throwException(new IllegalStateException("claim store refused the read"));
            route.weaveByType(ProcessDefinition.class).selectFirst().before().to("mock:response");
        });
        context.start();
        MockEndpoint response = getMockEndpoint("mock:response");
        response.expectedMessageCount(0);
        response.setAssertPeriod(200);

        Exchange answer = template.send("direct:get-claim", e -> e.getMessage().setHeader("claimId", "CLM-0000NONE"));

        // expect the api-errors configuration's problem+json 500, without the failure's text
        response.assertIsSatisfied();
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(answer.getMessage().getHeader(ApiResponse.CONTENT_TYPE)).isEqualTo(ApiResponse.PROBLEM_JSON);
        assertThat(answer.getMessage().getBody(String.class)).doesNotContain("claim store refused the read");
    }
}
