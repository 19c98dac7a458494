package io.claimshub.payment;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The payment adapter's settings ({@code hub.payment.*}), checked when the hub starts. */
public final class PaymentSettings {

    public enum Mode { API, FILE, OFF }

    private final Mode mode;
    private final String apiUrl;
    private final String apiToken;
    private final long apiTimeoutMs;
    private final List<LocalTime> cutoffTimes;

    public PaymentSettings(String mode, String apiUrl, String apiToken, long apiTimeoutMs, String cutoffTimes) {
        String m = mode == null || mode.isBlank() ? "file" : mode.strip().toLowerCase(Locale.ROOT);
        this.mode = switch (m) {
            case "api" -> Mode.API;
            case "file" -> Mode.FILE;
            case "off" -> Mode.OFF;
            default -> throw new IllegalArgumentException("hub.payment.mode is '" + mode
                    + "'; expected api, file or off");
        };
        this.apiUrl = apiUrl == null ? "" : apiUrl.strip();
        this.apiToken = apiToken == null ? "" : apiToken.strip();
        this.apiTimeoutMs = apiTimeoutMs;
        if (this.mode == Mode.API && this.apiUrl.isEmpty()) {
            throw new IllegalArgumentException("hub.payment.mode is api but hub.payment.api-url is empty");
        }
        this.cutoffTimes = parseTimes(cutoffTimes);
    }

    static List<LocalTime> parseTimes(String text) {
        List<LocalTime> times = new ArrayList<>();
        if (text == null) {
            return times;
        }
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                times.add(LocalTime.parse(part.strip()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("hub.payment.cutoff-times: '" + part.strip()
                        + "' is not a time of day HH:mm (UTC)");
            }
        }
        return times;
    }

    public boolean apiMode() {
        return mode == Mode.API;
    }

    public boolean fileMode() {
        return mode == Mode.FILE;
    }

    /** False in mode {@code off}: the hub initiates no payments; external systems push them over the REST API. */
    public boolean enabled() {
        return mode != Mode.OFF;
    }

    public String mode() {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    public List<LocalTime> cutoffTimes() {
        return cutoffTimes;
    }

    public String authorization() {
        return "Bearer " + apiToken;
    }

    /** The camel-http producer URI: the answer is checked by the route, so any status comes back as a response. */
    public String apiUri() {
        String url = apiUrl.isEmpty() ? "http://127.0.0.1:9/payment-api-not-configured" : apiUrl;
        return url + (url.contains("?") ? "&" : "?") + "throwExceptionOnFailure=false&connectTimeout=" + apiTimeoutMs
               + "&responseTimeout=" + apiTimeoutMs + "&connectionRequestTimeout=" + apiTimeoutMs;
    }
}
