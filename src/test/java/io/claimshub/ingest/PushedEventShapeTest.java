package io.claimshub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.api.ApiResponse;
import io.claimshub.api.ClaimsApi;
import io.claimshub.event.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A pushed event has one shape, whether it comes to the REST API or as a line of a JSON Lines file. */
class PushedEventShapeTest {

    private static final String CLAIM_ID = "CLM-AAAA0001";
    // every bad shape is refused before the API reaches the store, so it needs none
    private final ClaimsApi api = new ClaimsApi(null, null, null, 262_144);

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"eventType\":7,\"data\":{}}",
        "{\"eventType\":null,\"data\":{}}",
        "{\"eventType\":\"claim.assigned\"}",
        "{\"eventType\":\"claim.assigned\",\"data\":null}",
        "{\"eventType\":\"claim.assigned\",\"data\":[]}",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"eventId\":\"nope\"}",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"eventId\":5}",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"expectedVersion\":-1}",
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"expectedVersion\":\"1\"}",
        "{\"eventType\":\"claim.assigned\",\"data\":\"x\",\"eventId\":\"nope\",\"expectedVersion\":1.5}",
    })
    void theApiAndAJsonLinesFileNameTheSameMistakesInTheSameWords(String pushed) {
        List<FieldError> fromApi = apiErrors(pushed);
        List<FieldError> fromLine = lineErrors(pushed);

        assertThat(fromApi).isNotEmpty();
        assertThat(fromLine).isEqualTo(fromApi);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"eventType\":\"claim.assigned\",\"data\":{},\"extra\":1}",
        "{\"eventType\":\"claim.assigned\",\"data\":[],\"eventId\":\"nope\",\"extra\":1,\"more\":2}",
    })
    void anUnknownFieldIsNamedByBoth(String pushed) {
        assertThat(lineErrors(pushed)).extracting(FieldError::field)
                .isEqualTo(apiErrors(pushed).stream().map(FieldError::field).toList());
    }

    private List<FieldError> apiErrors(String pushed) {
        ApiResponse response = api.push(CLAIM_ID, "application/json", null, pushed.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(400);
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode error : response.body().get("errors")) {
            errors.add(new FieldError(error.get("field").asText(), error.get("message").asText()));
        }
        return errors;
    }

    private static List<FieldError> lineErrors(String pushed) {
        String line = "{\"claimId\":\"" + CLAIM_ID + "\"," + pushed.substring(1);
        return ((IngestLine.Unreadable) JsonLinesFormat.parse(line)).errors();
    }
}
