package io.claimshub.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.store.ClaimantPseudonyms;
import io.claimshub.testsupport.TestRedis;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The access point alone, on the test Redis: tokens, their binding to claim and field, erasure. */
@Tag("redis")
class PersonalDataTest {

    private final String email = "unit-" + UUID.randomUUID() + "@example.com";
    private final PersonalData data = new PersonalData(TestRedis.connectionFactory(),
            new MasterKeys(Base64.getDecoder().decode(MasterKeys.newKeyBase64()), null),
            () -> new ClaimantPseudonyms("unit-test-pseudonym-secret-0123456789"), Clock.systemUTC(), true);

    private EventEnvelope submitted(String claimId) {
        ObjectNode json = (ObjectNode) EventJson.parse("""
                {"policyNumber":"POL-1","claimType":"auto","incidentDate":"2026-02-27","description":"Hit a tree",
                 "amountClaimed":{"amount":10.00,"currency":"EUR"},
                 "claimant":{"name":"Unit Tester","email":"%s","phone":"+447700900000","locale":"de"},
                 "region":"north","priority":"normal"}""".formatted(email), "data");
        return new EventEnvelope(UUID.randomUUID(), "claim.submitted", claimId, Instant.now(), json, "1.0");
    }

    @Test
    void personalFieldsBecomeTokensThatOnlyTheirOwnClaimAndFieldDecrypt() {
        EventEnvelope sealed = data.protect(submitted("CLM-UNIT0001"), null);
        String name = sealed.data().path("claimant").path("name").asText();
        assertThat(name).startsWith("pd1:claimant.name:").doesNotContain("Unit Tester");
        assertThat(sealed.data().path("description").asText()).startsWith("pd1:description:");
        // not personal data: as sent
        assertThat(sealed.data().path("claimant").path("locale").asText()).isEqualTo("de");
        assertThat(sealed.data().path("policyNumber").asText()).isEqualTo("POL-1");
        // two encryptions of one value differ (random nonce)
        assertThat(data.protect(submitted("CLM-UNIT0001"), null).data().path("claimant").path("name").asText())
                .isNotEqualTo(name);

        EventEnvelope shown = data.reveal(sealed);
        assertThat(shown.data()).isEqualTo(submitted("CLM-UNIT0001").data());
        ClaimState state = data.reveal(new ClaimLifecycle().apply(null, sealed, 1));
        assertThat(state.claimantEmail()).isEqualTo(email);

        // a token copied into another claim, or altered, does not decrypt
        assertThat(data.reveal("CLM-UNIT0002", name)).isEqualTo(PersonalData.UNREADABLE);
        String altered = name.substring(0, name.length() - 2) + (name.endsWith("A") ? "BB" : "AA");
        assertThat(data.reveal("CLM-UNIT0001", altered)).isEqualTo(PersonalData.UNREADABLE);
    }

    @Test
    void anErasedClaimantsTokensReadErasedAndLaterDataIsNotKept() {
        EventEnvelope sealed = data.protect(submitted("CLM-UNIT0003"), null);
        ClaimState state = new ClaimLifecycle().apply(null, sealed, 1);
        String pseudonym = data.claimantOf(state);
        assertThat(data.erase(pseudonym, "unit", "test")).hasValueSatisfying(e -> assertThat(e.keysDestroyed()).isOne());

        assertThat(data.reveal(state).claimantName()).isEqualTo(PersonalData.ERASED);
        assertThat(data.erased(pseudonym)).isTrue();
        EventEnvelope rejected = new EventEnvelope(UUID.randomUUID(), "claim.rejected", "CLM-UNIT0003", Instant.now(),
                (ObjectNode) EventJson.parse("{\"reasonCode\":\"X\",\"reasonText\":\"Unit Tester lied\",\"rejectedBy\":\"A\"}",
                        "data"), "1.0");
        assertThat(data.protect(rejected, state).data().path("reasonText").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(data.seal("CLM-UNIT0003", "outbox.to", pseudonym, email)).isNull();
    }

    @Test
    void submissionsProtectedTogetherGiveAClaimantNamedTwiceOneKeyAndAnErasedOneANewKey() {
        // given a claimant erased before
        EventEnvelope first = data.protect(submitted("CLM-UNIT0004"), null);
        String pseudonym = data.claimantOf(new ClaimLifecycle().apply(null, first, 1));
        data.erase(pseudonym, "unit", "test");

        // when two claims of theirs and one event without personal data are protected together
        EventEnvelope noPersonalData = new EventEnvelope(UUID.randomUUID(), "claim.submitted", "CLM-UNIT0007",
                Instant.now(), (ObjectNode) EventJson.parse("{\"policyNumber\":\"POL-1\"}", "data"), "1.0");
        List<EventEnvelope> sealed = data.protectSubmissions(List.of(submitted("CLM-UNIT0005"), noPersonalData,
                submitted("CLM-UNIT0006")));

        // expect both claims under one new key, readable, and the other event as it was
        assertThat(sealed).hasSize(3);
        assertThat(sealed.get(1)).isSameAs(noPersonalData);
        String keyOf5 = keyId(sealed.get(0));
        assertThat(keyOf5).isEqualTo(keyId(sealed.get(2))).isNotEqualTo(keyId(first));
        assertThat(data.erased(pseudonym)).isFalse();
        assertThat(data.reveal(sealed.get(0)).data()).isEqualTo(submitted("CLM-UNIT0005").data());
        assertThat(data.reveal(sealed.get(2)).data()).isEqualTo(submitted("CLM-UNIT0006").data());
        assertThat(data.reveal(first).data().path("claimant").path("name").asText()).isEqualTo(PersonalData.ERASED);
    }

    private static String keyId(EventEnvelope event) {
        return event.data().path("claimant").path("email").asText().split(":", 5)[3];
    }
}
