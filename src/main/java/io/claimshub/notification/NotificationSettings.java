package io.claimshub.notification;

/**
 * Where each channel sends: the SMTP server, the SMS gateway and the status portal, or, when one is not configured,
 * files under {@code ./data/outbox/} a newcomer can open. Builds the Camel endpoint URIs from the hub's settings.
 */
public final class NotificationSettings {

    private final Mail mail;
    private final Http sms;
    private final Http webhook;

    /** SMTP: url {@code smtp://host:587} or {@code smtps://host:465}; starttls upgrades a plain connection. */
    public record Mail(String smtpUrl, String user, String password, boolean startTls, String from, String outboxDir,
                       long timeoutMs) {
    }

    /** An HTTP partner: its url, its secret (bearer token or signing key), the fallback file, the timeout. */
    public record Http(String url, String secret, String outboxFile, long timeoutMs) {
    }

    public NotificationSettings(Mail mail, Http sms, Http webhook) {
        this.mail = mail;
        this.sms = sms;
        this.webhook = webhook;
    }

    public boolean mailConfigured() {
        return !blank(mail.smtpUrl());
    }

    public boolean smsConfigured() {
        return !blank(sms.url());
    }

    public boolean webhookConfigured() {
        return !blank(webhook.url());
    }

    public String mailFrom() {
        return mail.from();
    }

    public String smsToken() {
        return blank(sms.secret()) ? "" : sms.secret();
    }

    /** The camel-mail producer URI: server, credentials, sender, STARTTLS and timeouts. */
    public String smtpUri() {
        StringBuilder uri = new StringBuilder(mail.smtpUrl().strip());
        uri.append(uri.indexOf("?") < 0 ? "?" : "&");
        uri.append("connectionTimeout=").append(mail.timeoutMs());
        uri.append("&mail.smtp.timeout=").append(mail.timeoutMs());
        uri.append("&mail.smtp.writetimeout=").append(mail.timeoutMs());
        if (!blank(mail.user())) {
            uri.append("&username=RAW(").append(mail.user()).append(")");
            uri.append("&password=RAW(").append(mail.password() == null ? "" : mail.password()).append(")");
        }
        if (mail.startTls()) {
            uri.append("&mail.smtp.starttls.enable=true&mail.smtp.starttls.required=true");
        }
        return uri.toString();
    }

    public String mailOutboxDir() {
        return mail.outboxDir();
    }

    public String smsUri() {
        return httpUri(sms);
    }

    public String webhookUri() {
        return httpUri(webhook);
    }

    /** The folder of the SMS fallback file ({@code hub.sms.outbox-file}). */
    public String smsOutboxDir() {
        return folder(sms.outboxFile());
    }

    public String smsOutboxName() {
        return java.nio.file.Path.of(sms.outboxFile()).getFileName().toString();
    }

    public String webhookOutboxDir() {
        return folder(webhook.outboxFile());
    }

    public String webhookOutboxName() {
        return java.nio.file.Path.of(webhook.outboxFile()).getFileName().toString();
    }

    private static String folder(String file) {
        java.nio.file.Path parent = java.nio.file.Path.of(file).toAbsolutePath().getParent();
        return parent.toString();
    }

    public String webhookSecret() {
        return blank(webhook.secret()) ? "" : webhook.secret();
    }

    // the partner's answer is checked by the route (SendLedger.checkHttp), so any status comes back as a response
    private static String httpUri(Http http) {
        String url = http.url().strip();
        return url + (url.contains("?") ? "&" : "?") + "throwExceptionOnFailure=false&connectTimeout="
               + http.timeoutMs() + "&responseTimeout=" + http.timeoutMs() + "&connectionRequestTimeout="
               + http.timeoutMs();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
