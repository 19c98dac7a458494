package io.claimshub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.claimshub.event.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A malformed-JSON problem keeps what is wrong and where, but none of the parser's own names. */
class ProblemsTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1", "{\"a\": }", "{\"a\": \"x\ny\"}", "nested 1500 deep"})
    void aParsersMessageLosesItsInternals(String body) {
        String message = parseError(body.startsWith("nested") ? "[".repeat(1500) + "]".repeat(1500) : body);

        String detail = Problems.malformedJson("the body is not valid JSON: " + message).body().get("detail").asText();

        assertThat(detail).startsWith("the body is not valid JSON: ")
                .doesNotContain("`", "StreamRead", "com.fasterxml", "Source:", "REDACTED", "(code");
    }

    @Test
    void theLimitAndThePlaceStay() {
        String detail = Problems.withoutParserInternals("Document nesting depth (1001) exceeds the maximum allowed"
                + " (1000, from `StreamReadConstraints.getMaxNestingDepth()`)");

        assertThat(detail).isEqualTo("Document nesting depth (1001) exceeds the maximum allowed (1000)");
        assertThat(Problems.withoutParserInternals("Unexpected end-of-input: expected close marker for Object (start"
                + " marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1,"
                + " column: 1])")).isEqualTo("Unexpected end-of-input: expected close marker for Object (start marker"
                + " at line: 1, column: 1)");
    }

    private static String parseError(String body) {
        try {
            EventJson.mapper().readTree(body);
            throw new AssertionError("parsed: " + body);
        } catch (JsonProcessingException e) {
            return e.getOriginalMessage();
        }
    }
}
