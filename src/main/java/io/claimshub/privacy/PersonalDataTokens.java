package io.claimshub.privacy;

import java.util.Optional;

/** Reading a personal-data token's public parts without a key: the claimant it belongs to. */
public final class PersonalDataTokens {

    private PersonalDataTokens() {
    }

    /** The claimant pseudonym a token names; empty for a value that is not a token. */
    public static Optional<String> claimantOf(String value) {
        if (value == null || !PersonalData.isToken(value)) {
            return Optional.empty();
        }
        String[] parts = value.split(":", 5);
        return parts.length == 5 ? Optional.of(parts[2]) : Optional.empty();
    }

    public static boolean isToken(String value) {
        return value != null && PersonalData.isToken(value);
    }
}
