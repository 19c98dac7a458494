package io.claimshub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.event.FieldError;
import io.claimshub.payment.PaymentInitiation;
import io.claimshub.payment.PaymentOutcome;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /api/payments/callback}: the payment system's confirmation of a payment, signed with HMAC-SHA256 of the
 * raw body under the shared secret ({@code X-Payment-Signature: sha256=<hex>}). A missing or wrong signature is a
 * 401 and writes nothing; a good one records {@code claim.payment.completed} (or {@code claim.payment.failed}) once,
 * however often the callback is repeated.
 */
public final class PaymentsApi {

    public static final String SIGNATURE_HEADER = "X-Payment-Signature";
    private static final String PREFIX = "sha256=";

    private final PaymentInitiation initiation;
    private final byte[] secret;

    public PaymentsApi(PaymentInitiation initiation, String callbackSecret) {
        this.initiation = initiation;
        this.secret = callbackSecret == null || callbackSecret.isBlank() ? null
                : callbackSecret.getBytes(StandardCharsets.UTF_8);
    }

    public ApiResponse callback(String signature, byte[] body) {
        if (secret == null) {
            return unauthorized("no callback secret is configured (hub.payment.callback-secret); every callback is"
                    + " refused");
        }
        if (signature == null || !signature.strip().toLowerCase().startsWith(PREFIX)) {
            return unauthorized("the " + SIGNATURE_HEADER + " header (sha256=<hex HMAC-SHA256 of the body>) is missing");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.strip().substring(PREFIX.length()).toLowerCase());
        } catch (IllegalArgumentException e) {
            return unauthorized("the " + SIGNATURE_HEADER + " header is not sha256=<hex>");
        }
        byte[] expected = sign(secret, body == null ? new byte[0] : body);
        // constant time: the comparison does not tell how much of a forged signature was right
        if (!MessageDigest.isEqual(expected, given)) {
            return unauthorized("the signature does not match the body");
        }
        JsonNode json;
        try {
            json = EventJson.parseRequest(body, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return Problems.malformedJson("the body is not JSON");
        }
        String paymentId = json.path("paymentId").asText("");
        String status = json.path("status").asText("");
        if (paymentId.isBlank()) {
            return Problems.invalid(new FieldError("paymentId", "is required"));
        }
        PaymentOutcome outcome;
        switch (status) {
            case "completed" -> {
                Instant paidAt;
                try {
                    paidAt = Instant.parse(json.path("paidAt").asText(""));
                } catch (DateTimeParseException e) {
                    return Problems.invalid(new FieldError("paidAt", "must be an ISO-8601 UTC date-time"));
                }
                String reference = json.path("reference").asText("");
                if (reference.isBlank()) {
                    return Problems.invalid(new FieldError("reference", "is required"));
                }
                outcome = initiation.complete(paymentId, paidAt, reference);
            }
            case "failed" -> outcome = initiation.fail(paymentId, "the payment system reported the payment failed: "
                    + json.path("reason").asText("no reason given"));
            default -> {
                return Problems.invalid(new FieldError("status", "must be completed or failed"));
            }
        }
        return switch (outcome) {
            case RECORDED, ALREADY_RECORDED -> {
                ObjectNode answer = EventJson.mapper().createObjectNode();
                answer.put("paymentId", paymentId);
                answer.put("outcome", outcome == PaymentOutcome.RECORDED ? "recorded" : "already-recorded");
                yield ApiResponse.json(200, answer);
            }
            case UNKNOWN_PAYMENT -> Problems.notFound("no claim has payment " + paymentId);
            case NOT_APPLICABLE -> Problems.conflict("payment " + paymentId + " cannot be " + status
                    + " now; see the claim's events", Map.of());
        };
    }

    /** HMAC-SHA256 of the body under the secret. */
    public static byte[] sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiResponse unauthorized(String detail) {
        ObjectNode problem = EventJson.mapper().createObjectNode();
        problem.put("type", Problems.TYPE_BASE + "bad-signature");
        problem.put("title", "Unauthorized");
        problem.put("status", 401);
        problem.put("detail", detail);
        return new ApiResponse(401, Map.of(ApiResponse.CONTENT_TYPE, ApiResponse.PROBLEM_JSON), problem);
    }
}
