package io.claimshub.notification;

import java.util.regex.Pattern;

/**
 * Who a rule sends to, as notifications.yaml names it: {@code claimant}, {@code adjuster} (the claim's assignee),
 * {@code role:<name>} (the addresses the file lists under {@code roles}), {@code portal} (the status-update webhook)
 * or a fixed address (an e-mail address, or an E.164 phone number for SMS).
 */
public record Recipient(Kind kind, String value) {

    public enum Kind { CLAIMANT, ADJUSTER, ROLE, PORTAL, ADDRESS }

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /**
     * Parses a recipient as written in the file for the given channel.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    public static Recipient parse(String text, Channel channel) {
        String t = text.strip();
        if (channel == Channel.WEBHOOK) {
            if (!t.equals("portal")) {
                throw new IllegalArgumentException("a webhook rule sends to 'portal' (hub.webhook.url), not '" + t + "'");
            }
            return new Recipient(Kind.PORTAL, "portal");
        }
        if (t.equals("claimant")) {
            return new Recipient(Kind.CLAIMANT, "claimant");
        }
        if (t.equals("adjuster")) {
            return new Recipient(Kind.ADJUSTER, "adjuster");
        }
        if (t.startsWith("role:") && t.length() > 5) {
            return new Recipient(Kind.ROLE, t.substring(5));
        }
        if (channel == Channel.EMAIL && EMAIL.matcher(t).matches()) {
            return new Recipient(Kind.ADDRESS, t);
        }
        if (channel == Channel.SMS && E164.matcher(t.replace(" ", "")).matches()) {
            return new Recipient(Kind.ADDRESS, t.replace(" ", ""));
        }
        throw new IllegalArgumentException("'" + t + "' is not a recipient for " + channel.wireName()
                + ": expected claimant, adjuster, role:<name> or "
                + (channel == Channel.EMAIL ? "an e-mail address" : "an E.164 phone number (+4412345678)"));
    }

    /** Whether {@code text} is a phone number an SMS can go to. */
    static boolean isPhone(String text) {
        return text != null && E164.matcher(text.replace(" ", "")).matches();
    }

    static boolean isEmail(String text) {
        return text != null && EMAIL.matcher(text).matches();
    }
}
