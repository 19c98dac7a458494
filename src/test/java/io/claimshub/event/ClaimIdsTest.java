package io.claimshub.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimIdsTest {

    @Test
    void newClaimIdsMatchThePatternAndDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ClaimIds.newClaimId();
            assertThat(id).matches("CLM-[A-Z0-9]{8}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLM-7Q2K9XAB", "CLM-00000000", "CLM-ZZZZZZZZ"})
    void wellFormedIdsAreValid(String claimId) {
        assertThat(ClaimIds.isValid(claimId)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"CLM-7q2k9xab", "CLM-7Q2K9XA", "CLM-7Q2K9XABC", "CLX-7Q2K9XAB", "clm-7Q2K9XAB",
        "CLM_7Q2K9XAB", "CLM-7Q2K9XA!", " CLM-7Q2K9XAB", "CLM-7Q2K9XAB\n", "CLM-7Q2K9XA\u00c4", "CLM-7Q2K9XA\u0661"})
    void malformedIdsAreInvalid(String claimId) {
        assertThat(ClaimIds.isValid(claimId)).isFalse();
    }

    @Test
    void requireValidNamesTheClaimIdField() {
        assertThatThrownBy(() -> ClaimIds.requireValid("CLM-1"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("claimId"))
                .hasMessageContaining("'CLM-1'");
    }
}
