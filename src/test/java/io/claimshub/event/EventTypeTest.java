package io.claimshub.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventTypeTest {

    @Test
    void theEightDesignTypesPlusTheSlaAndPolicyCheckExtensionsAreKnown() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::wireName)).containsExactly(
                "claim.submitted", "claim.assigned", "claim.document.uploaded", "claim.investigated",
                "claim.approved", "claim.rejected", "claim.payment.initiated", "claim.payment.completed",
                "claim.sla.breached", "claim.policy.checked", "claim.payment.failed");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void wireNamesRoundTrip(EventType type) {
        assertThat(EventType.fromWire(type.wireName())).isEqualTo(type);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eachTypeHasASchemaOnTheClasspath(EventType type) {
        assertThat(getClass().getClassLoader().getResource(type.schemaResource())).isNotNull();
    }

    @Test
    void unknownWireNameIsRejectedNamingTheEventTypeField() {
        assertThatThrownBy(() -> EventType.fromWire("claim.teleported"))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.field()).isEqualTo("eventType"))
                .hasMessageContaining("unknown event type 'claim.teleported'")
                .hasMessageContaining("claim.submitted");
    }
}
