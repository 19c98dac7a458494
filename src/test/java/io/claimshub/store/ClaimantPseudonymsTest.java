package io.claimshub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ClaimantPseudonymsTest {

    private static final String SECRET = "a-test-secret-of-at-least-32-characters";

    @Test
    void theSameEmailInAnyCaseOrWithBlanksGetsTheSamePseudonymAndItHoldsNoPersonalData() {
        ClaimantPseudonyms pseudonyms = new ClaimantPseudonyms(SECRET);

        String pseudonym = pseudonyms.ofEmail("Ada.Lovelace@Example.com");

        assertThat(pseudonyms.ofEmail(" ada.lovelace@example.com ")).isEqualTo(pseudonym);
        assertThat(pseudonyms.ofEmail("grace.hopper@example.com")).isNotEqualTo(pseudonym);
        assertThat(pseudonym).matches("[A-Za-z0-9_-]{22}").doesNotContainIgnoringCase("ada").doesNotContain("@");
        assertThat(new ProcessingKeys("ns").claimantClaims(pseudonym)).isEqualTo("ns:claimant:{" + pseudonym + "}:claims");
    }

    @Test
    void anotherSecretGivesOtherPseudonyms() {
        assertThat(new ClaimantPseudonyms(SECRET).ofEmail("ada@example.com"))
                .isNotEqualTo(new ClaimantPseudonyms(SECRET + "-other").ofEmail("ada@example.com"));
    }

    @Test
    void aShortSecretIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> new ClaimantPseudonyms("too-short"))
                .hasMessageContaining("hub.security.pseudonym-key").hasMessageContaining("32");
    }

    @Test
    void aClaimantKeyCannotBeNamedByAnEmail() {
        assertThatThrownBy(() -> new ProcessingKeys("").claimantClaims("ada@example.com"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Tag("redis")
    void withoutAConfiguredSecretTheOneGeneratedIntoRedisIsKeptAcrossRestarts() {
        String keyName = new ProcessingKeys(TestRedis.uniqueKey("hub")).pseudonymSecret();

        // given the pseudonym of a first start that generated the secret
        String first = ClaimantPseudonyms.configuredOrKeptIn("", TestRedis.connectionFactory(), keyName).ofEmail("ada@example.com");

        // expect a later start (or another instance) to name the claimant the same
        assertThat(ClaimantPseudonyms.configuredOrKeptIn(null, TestRedis.connectionFactory(), keyName).ofEmail("ada@example.com"))
                .isEqualTo(first);
        // and a configured secret to take precedence
        assertThat(ClaimantPseudonyms.configuredOrKeptIn(SECRET, TestRedis.connectionFactory(), keyName).ofEmail("ada@example.com"))
                .isEqualTo(new ClaimantPseudonyms(SECRET).ofEmail("ada@example.com")).isNotEqualTo(first);
        TestRedis.template().delete(keyName);
    }
}
