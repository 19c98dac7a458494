package io.claimshub.payment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank's confirmation files (CSV, docs/adapters.md "Payments"): each line a payment's outcome, recorded as
 * {@code claim.payment.completed} (or {@code claim.payment.failed}) once, however often the file is read. A line that
 * cannot be applied is reported by its line number; the other lines are applied.
 */
public final class PaymentConfirmations {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentConfirmations.class);
    public static final String HEADER = "paymentId,status,paidAt,reference";

    private final PaymentInitiation initiation;

    public PaymentConfirmations(PaymentInitiation initiation) {
        this.initiation = initiation;
    }

    /**
     * Applies the file's lines; answers its error report (JSON Lines, one {@code {"line", "reason"}} per line that
     * could not be applied), or null when every line was applied.
     */
    public String apply(String content, String fileName) {
        List<ObjectNode> errors = new ArrayList<>();
        String[] lines = content == null ? new String[0] : content.split("\\r?\\n", -1);
        int applied = 0;
        boolean headerSeen = false;
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!headerSeen) {
                headerSeen = true;
                if (line.replace(" ", "").equalsIgnoreCase(HEADER)) {
                    continue;
                }
                errors.add(error(number, "the first line must be the header " + HEADER + "; no line was applied"));
                break;
            }
            String problem = applyLine(line);
            if (problem == null) {
                applied++;
            } else {
                errors.add(error(number, problem));
            }
        }
        LOG.info("Confirmation file {}: {} line(s) applied, {} reported", fileName, applied, errors.size());
        if (errors.isEmpty()) {
            return null;
        }
        StringBuilder report = new StringBuilder();
        errors.forEach(e -> report.append(EventJson.write(e)).append('\n'));
        return report.toString();
    }

    // null when applied (or applied before); else why not
    private String applyLine(String line) {
        String[] cells = line.split(",", -1);
        if (cells.length != 4) {
            return "expected 4 comma-separated columns (" + HEADER + "), found " + cells.length;
        }
        String paymentId = cells[0].strip();
        String status = cells[1].strip().toLowerCase(Locale.ROOT);
        String when = cells[2].strip();
        String reference = cells[3].strip();
        if (PaymentIds.claimIdOf(paymentId).isEmpty()) {
            return "paymentId '" + shorten(paymentId) + "' is not a payment id of this hub";
        }
        if (reference.isEmpty()) {
            return "reference is empty";
        }
        PaymentOutcome outcome;
        switch (status) {
            case "completed" -> {
                Instant paidAt;
                try {
                    paidAt = Instant.parse(when);
                } catch (DateTimeParseException e) {
                    return "paidAt '" + shorten(when) + "' is not an ISO-8601 UTC date-time (2026-03-05T10:00:00Z)";
                }
                outcome = initiation.complete(paymentId, paidAt, reference);
            }
            case "failed" -> outcome = initiation.fail(paymentId, "the bank reported the payment failed: "
                    + reference);
            default -> {
                return "status '" + shorten(status) + "' is neither completed nor failed";
            }
        }
        return switch (outcome) {
            case RECORDED, ALREADY_RECORDED -> null;
            case UNKNOWN_PAYMENT -> "no claim has payment " + paymentId;
            case NOT_APPLICABLE -> "payment " + paymentId + " cannot be " + status + " now (see the claim's events)";
        };
    }

    private static ObjectNode error(int line, String reason) {
        ObjectNode error = EventJson.mapper().createObjectNode();
        error.put("line", line);
        error.put("reason", reason);
        return error;
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
