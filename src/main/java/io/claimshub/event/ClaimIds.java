package io.claimshub.event;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Claim identifiers: {@code CLM-} followed by 8 characters from [A-Z0-9], e.g. {@code CLM-7Q2K9XAB}.
 */
public final class ClaimIds {

    public static final String PREFIX = "CLM-";
    public static final Pattern PATTERN = Pattern.compile("^CLM-[A-Z0-9]{8}$");

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final int LENGTH = 8;
    // ids are exposed to claimants, so they should not be guessable from one another
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClaimIds() {
    }

    public static String newClaimId() {
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return PREFIX + new String(chars);
    }

    /** Whether it matches {@link #PATTERN}; checked character by character (every key name of a claim asks). */
    public static boolean isValid(String claimId) {
        if (claimId == null || claimId.length() != PREFIX.length() + LENGTH || !claimId.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < claimId.length(); i++) {
            char c = claimId.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    public static String requireValid(String claimId) {
        if (!isValid(claimId)) {
            throw new InvalidEventException("claimId",
                    "'" + claimId + "' is not a claim id; expected CLM- followed by 8 characters from A-Z and 0-9");
        }
        return claimId;
    }
}
