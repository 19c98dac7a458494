package io.claimshub.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A request body as the edge reads it: bytes in a declared (or the default UTF-8) charset, one JSON document. */
class EventJsonTest {

    @Test
    void aDuplicateKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> parse("{\"claimType\":\"boat\",\"claimType\":\"auto\"}"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("claimType"));
        assertThatThrownBy(() -> parse("{\"amountClaimed\":{\"amount\":-5,\"amount\":1500}}"))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.field()).isEqualTo("amountClaimed.amount"));
    }

    @Test
    void theSharedMapperRefusesDuplicateKeysToo() {
        assertThatThrownBy(() -> EventJson.parse("{\"a\":1,\"a\":2}", "line")).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheField() {
        byte[] body = concat("{\"policyNumber\":\"POL-1\",\"description\":\"caf", new byte[] {(byte) 0xE9},
                "\"}");

        assertThatThrownBy(() -> EventJson.parseRequest(body, null))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.field()).isEqualTo("description");
                    assertThat(e.getMessage()).contains("UTF-8");
                });
        byte[] invalid = concat("{\"a\":{\"b\":\"x", new byte[] {(byte) 0xFF, (byte) 0xFE}, "\"}}");
        assertThatThrownBy(() -> EventJson.parseRequest(invalid, null))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("a.b"));
        // a surrogate encoded in UTF-8 bytes is not UTF-8 either
        byte[] surrogate = concat("{\"name\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}");
        assertThatThrownBy(() -> EventJson.parseRequest(surrogate, null))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void aDeclaredCharsetIsHonoured() {
        byte[] latin1 = "{\"description\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1);

        JsonNode node = EventJson.parseRequest(latin1, Charset.forName("ISO-8859-1"));

        assertThat(node.get("description").asText()).isEqualTo("café");
        assertThat(EventJson.parseRequest("{\"d\":\"café\"}".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .get("d").asText()).isEqualTo("café");
    }

    @Test
    void aDocumentNestedTooDeeplyIsRefusedNamingWhereItGoesTooDeep() {
        String deep = "{\"data\":" + "{\"a\":".repeat(998) + "1" + "}".repeat(998) + "}";

        assertThatThrownBy(() -> parse(deep))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.field()).startsWith("data.a.a");
                    assertThat(e.getMessage()).contains("deep");
                });
    }

    @Test
    void aNumberLiteralLongerThanTheReadPathAcceptsIsRefused() {
        assertThatThrownBy(() -> parse("{\"amount\":1" + "0".repeat(1200) + "}"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("amount"));
    }

    @Test
    void trailingTextAndAnEmptyBodyAreMalformed() {
        assertThatThrownBy(() -> parse("{\"a\":1} x")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> parse("  ")).isInstanceOf(InvalidEventException.class);
    }

    private static JsonNode parse(String body) {
        return EventJson.parseRequest(body.getBytes(StandardCharsets.UTF_8), null);
    }

    private static byte[] concat(String before, byte[] bad, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
        return all;
    }
}
