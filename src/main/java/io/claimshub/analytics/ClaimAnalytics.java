package io.claimshub.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics of one claim, as a fold over its events in stream order: each event gives its changes to the
 * counters (on the UTC day and hour of its own timestamp), processing times and leaderboards, and moves the claim's
 * {@link ClaimCursor} on. Pure: the same events from the same cursor always give the same changes.
 */
public final class ClaimAnalytics {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimAnalytics.class);
    /** Unknown types logged so far; bounded, so a flood of invented types cannot grow it. */
    private static final int MAX_LOGGED_TYPES = 100;
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private ClaimAnalytics() {
    }

    /**
     * Applies one event, at {@code version} (its claim-stream entry {@code entryId}), to the claim as
     * {@code cursor} holds it.
     */
    public static ClaimCursor apply(ClaimCursor cursor, String claimId, long version, String entryId,
                                    AnalyticsEvent event, AnalyticsDeltas out) {
        ClaimCursor at = cursor.at(version, entryId);
        AnalyticsDeltas own = new AnalyticsDeltas();
        try {
            ClaimCursor next = applyKnown(at, claimId, event, own);
            if (next != null) {
                out.changes().addAll(own.changes());
                own.metrics().forEach(out::metric);
                return next;
            }
            logOnce(event.eventType(), "an event type the analytics do not know; counted as unknown");
        } catch (RuntimeException e) {
            logOnce(event.eventType(), "its data could not be read (" + e.getClass().getSimpleName()
                    + "); counted as unknown");
        }
        out.count(event.timestamp(), Counters.UNKNOWN, 1);
        return at;
    }

    /**
     * The fields of an event's data the analytics read for its type (the top-level names); null for the types counted
     * from type and time alone.
     */
    static Set<String> dataFields(String eventType) {
        return switch (eventType) {
            case "claim.submitted" -> SUBMITTED_FIELDS;
            case "claim.assigned", "claim.sla.breached" -> ADJUSTER_FIELD;
            case "claim.approved" -> APPROVED_FIELD;
            case "claim.payment.initiated" -> AMOUNT_FIELD;
            default -> null;
        };
    }

    private static final Set<String> SUBMITTED_FIELDS = Set.of("claimType", "region", "priority", "amountClaimed");
    private static final Set<String> ADJUSTER_FIELD = Set.of("adjusterId");
    private static final Set<String> APPROVED_FIELD = Set.of("approvedAmount");
    private static final Set<String> AMOUNT_FIELD = Set.of("amount");

    // null for a type not known here
    private static ClaimCursor applyKnown(ClaimCursor c, String claimId, AnalyticsEvent event, AnalyticsDeltas out) {
        Instant ts = event.timestamp();
        JsonNode data = event.data();
        switch (event.eventType()) {
            case "claim.submitted" -> {
                String type = text(data, "claimType");
                String region = text(data, "region");
                String priority = text(data, "priority");
                Money claimed = money(data.get("amountClaimed"));
                out.count(ts, Counters.SUBMITTED, 1);
                out.count(ts, Counters.submittedByType(type), 1);
                out.count(ts, Counters.submittedByRegion(region), 1);
                out.count(ts, Counters.submittedByPriority(priority), 1);
                out.count(ts, Counters.amountClaimed(claimed.currency()), claimed.minor());
                out.metric(new ClaimMetric(ClaimMetric.Kind.SUBMITTED, type, region, null, 0));
                return c.submitted(ts, type, region);
            }
            case "claim.assigned" -> {
                String adjuster = text(data, "adjusterId");
                out.count(ts, Counters.ASSIGNED, 1);
                if (!c.assignedBefore() && c.submittedAt() != null) {
                    out.timing(TimingKind.ASSIGNMENT, ts, ProcessingTimes.member(claimId, c.claimType(), c.region(),
                            adjuster), millis(c.submittedAt(), ts));
                }
                return c.assigned(adjuster);
            }
            case "claim.document.uploaded" -> {
                out.count(ts, Counters.DOCUMENTS, 1);
                return c;
            }
            case "claim.investigated" -> {
                out.count(ts, Counters.INVESTIGATED, 1);
                return c;
            }
            case "claim.approved" -> {
                Money approved = money(data.get("approvedAmount"));
                out.count(ts, Counters.APPROVED, 1);
                out.count(ts, Counters.amountApproved(approved.currency()), approved.minor());
                decided(c, claimId, ts, "approved", out);
                return c.approved(ts);
            }
            case "claim.rejected" -> {
                out.count(ts, Counters.REJECTED, 1);
                decided(c, claimId, ts, "rejected", out);
                return c;
            }
            case "claim.payment.initiated" -> {
                Money amount = money(data.get("amount"));
                out.count(ts, Counters.PAYMENTS_INITIATED, 1);
                return c.paying(amount.minor(), amount.currency());
            }
            case "claim.payment.completed" -> {
                out.count(ts, Counters.PAYMENTS_COMPLETED, 1);
                if (c.paymentMinor() != null) {
                    out.count(ts, Counters.amountPaid(c.paymentCurrency()), c.paymentMinor());
                    if (c.region() != null) {
                        out.board(Leaderboards.regionsPaid(c.paymentCurrency()), ts, c.region(), c.paymentMinor());
                    }
                    if (c.claimType() != null) {
                        out.board(Leaderboards.typesPaid(c.paymentCurrency()), ts, c.claimType(), c.paymentMinor());
                    }
                }
                if (c.approvedAt() != null) {
                    out.timing(TimingKind.PAYMENT, ts, ProcessingTimes.member(claimId, c.claimType(), c.region(),
                            c.adjuster()), millis(c.approvedAt(), ts));
                }
                out.metric(new ClaimMetric(ClaimMetric.Kind.PAID, c.claimType(), c.region(), null, 0));
                return c.paying(null, null);
            }
            case "claim.sla.breached" -> {
                out.count(ts, Counters.SLA_BREACHES, 1);
                String adjuster = data.hasNonNull("adjusterId") ? text(data, "adjusterId") : c.adjuster();
                if (adjuster != null) {
                    out.board(Leaderboards.ADJUSTERS_SLA_BREACHES, ts, adjuster, 1);
                }
                return c;
            }
            // the policy adapter's verdict: nothing is counted for it (yet), but it is no unknown event
            case "claim.policy.checked" -> {
                return c;
            }
            default -> {
                return null;
            }
        }
    }

    private static void decided(ClaimCursor c, String claimId, Instant ts, String decision, AnalyticsDeltas out) {
        if (c.submittedAt() == null) {
            return;
        }
        long millis = millis(c.submittedAt(), ts);
        out.timing(TimingKind.DECISION, ts, ProcessingTimes.member(claimId, c.claimType(), c.region(), c.adjuster()),
                millis);
        if (c.adjuster() != null) {
            out.board(Leaderboards.ADJUSTERS_DECIDED, ts, c.adjuster(), 1);
            out.board(Leaderboards.ADJUSTERS_DECISION_MILLIS, ts, c.adjuster(), millis);
        }
        out.metric(new ClaimMetric(ClaimMetric.Kind.DECIDED, c.claimType(), c.region(), decision, millis / 1000.0));
    }

    private static long millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value.asText();
    }

    /** An amount in its currency's minor units (EUR 12.34 is 1234, JPY 1234 is 1234). */
    record Money(long minor, String currency) {
    }

    static Money money(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("amount is missing");
        }
        String currency = text(node, "currency");
        JsonNode amount = node.get("amount");
        BigDecimal value = amount == null ? null
                : amount.isNumber() ? amount.decimalValue() : amount.isTextual() ? new BigDecimal(amount.asText()) : null;
        if (value == null) {
            throw new IllegalArgumentException("amount is missing");
        }
        return new Money(minorUnits(value, currency), currency);
    }

    /**
     * The amount in minor units, exactly.
     *
     * @throws ArithmeticException when it has more decimals than the currency's minor unit, or does not fit a long
     * @throws IllegalArgumentException for a currency that is not ISO 4217
     */
    public static long minorUnits(BigDecimal amount, String currency) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        return amount.movePointRight(digits).longValueExact();
    }

    private static void logOnce(String type, String why) {
        String shown = type.length() > 60 ? type.substring(0, 60) + "..." : type;
        if (LOGGED.size() < MAX_LOGGED_TYPES && LOGGED.add(shown)) {
            LOG.warn("analytics: event type '{}': {} (logged once per type)", shown.replaceAll("[^\\x20-\\x7e]", "?"),
                    why);
        }
    }

    /** For tests: the types logged so far. */
    static Map<String, Boolean> loggedTypes() {
        Map<String, Boolean> copy = new java.util.HashMap<>();
        LOGGED.forEach(t -> copy.put(t, true));
        return copy;
    }
}
