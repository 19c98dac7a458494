package io.claimshub.notification;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.claim.ClaimState;
import io.claimshub.processing.Adjuster;
import java.util.Optional;

/**
 * The one place the notifications read people's contact data (claimant's and adjuster's e-mail, phone, name and
 * preferred language): from the claim's snapshot fields as {@link io.claimshub.privacy.PersonalData} decrypted them
 * for the planner ({@code [erased]} after an erasure, which is no address), the raw {@code claim.submitted} data
 * (an optional {@code claimant.locale} such as "de" or "fr-CH") and the adjuster roster. Everything else handles
 * these values only inside an outgoing message, and logs them masked ({@link #mask}).
 */
public final class ClaimantContacts {

    private ClaimantContacts() {
    }

    /** The claimant's address for a channel (e-mail address or phone number), if the claim has one. */
    public static Optional<String> claimantAddress(ClaimState claim, Channel channel) {
        String address = channel == Channel.EMAIL ? claim.claimantEmail() : claim.claimantPhone();
        return usable(address, channel);
    }

    public static String claimantName(ClaimState claim) {
        return claim.claimantName() == null ? "" : claim.claimantName();
    }

    /** The claimant's language as given at submission ({@code claimant.locale}), if any. */
    public static Optional<String> claimantLocale(JsonNode submittedData) {
        if (submittedData == null) {
            return Optional.empty();
        }
        JsonNode locale = submittedData.path("claimant").path("locale");
        return locale.isTextual() && locale.asText().matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?")
                ? Optional.of(locale.asText().replace('_', '-')) : Optional.empty();
    }

    public static Optional<String> adjusterAddress(Adjuster adjuster, Channel channel) {
        return usable(channel == Channel.EMAIL ? adjuster.email() : adjuster.phone(), channel);
    }

    private static Optional<String> usable(String address, Channel channel) {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        if (channel == Channel.SMS) {
            String compact = address.replace(" ", "");
            return Recipient.isPhone(compact) ? Optional.of(compact) : Optional.empty();
        }
        return Recipient.isEmail(address.strip()) ? Optional.of(address.strip()) : Optional.empty();
    }

    /**
     * An address as logs and the notifications API show it: an e-mail keeps its first character and its domain
     * ({@code a***@example.com}), a phone number its last two digits ({@code +*********23}).
     */
    public static String mask(String address) {
        if (address == null || address.isEmpty()) {
            return "";
        }
        int at = address.indexOf('@');
        if (at > 0) {
            return address.charAt(0) + "***" + address.substring(at);
        }
        if (address.length() <= 2) {
            return "**";
        }
        return (address.startsWith("+") ? "+" : "") + "*".repeat(Math.max(0, address.length() - 3))
                + address.substring(address.length() - 2);
    }
}
