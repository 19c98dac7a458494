package io.claimshub.notification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compliance report's rows for one decided claim: per notification the regulations expect (the rules file's
 * {@code compliance} section), when it was due, when it was sent and whether that was in time. A notification is
 * expected when its triggering event happened (a claim never paid expects no payment confirmation); it counts as sent
 * when the send ledger says {@code sent} for an e-mail to the claimant on that event. Claim ids only: no personal data.
 */
public final class ComplianceReport {

    public static final String CSV_HEADER = "claimId,decidedAt,kind,expectedBy,sentAt,status";
    private static final Set<String> DECISIONS = Set.of("claim.approved", "claim.rejected");

    /** One of the claim's events. */
    public record Event(String eventId, String eventType, Instant at) {
    }

    /** One (claim, expected notification); {@code sentAt} null when it was not sent. Status ok, late or missing. */
    public record Row(String claimId, Instant decidedAt, String kind, Instant expectedBy, Instant sentAt,
                      String status) {

        public String csvLine() {
            return String.join(",", claimId, String.valueOf(decidedAt), kind, expectedBy.toString(),
                    sentAt == null ? "" : sentAt.toString(), status);
        }
    }

    private ComplianceReport() {
    }

    /**
     * The rows of one claim.
     *
     * @param events the claim's events in order
     * @param ledger the claim's send ledger: ledger id ({@code <eventId>/<channel>/<recipient>}) → state, epoch ms, ...
     */
    public static List<Row> rows(String claimId, List<Event> events, Map<String, String[]> ledger,
                                 List<NotificationRules.Expectation> expectations) {
        Instant decidedAt = null;
        for (Event event : events) {
            if (DECISIONS.contains(event.eventType())) {
                decidedAt = event.at();
            }
        }
        List<Row> rows = new ArrayList<>();
        for (NotificationRules.Expectation expectation : expectations) {
            Event trigger = events.stream().filter(e -> expectation.eventTypes().contains(e.eventType()))
                    .reduce((first, later) -> later).orElse(null);
            if (trigger == null) {
                continue;
            }
            Instant expectedBy = trigger.at().plus(expectation.within());
            Instant sentAt = sentAt(ledger, trigger.eventId() + "/" + Channel.EMAIL.wireName() + "/claimant");
            String status = sentAt == null ? "missing" : sentAt.isAfter(expectedBy) ? "late" : "ok";
            rows.add(new Row(claimId, decidedAt, expectation.name(), expectedBy, sentAt, status));
        }
        return rows;
    }

    /** The report as CSV: the header line, then one line per row. */
    public static String csv(List<Row> rows) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        rows.forEach(row -> csv.append(row.csvLine()).append('\n'));
        return csv.toString();
    }

    private static Instant sentAt(Map<String, String[]> ledger, String ledgerId) {
        String[] state = ledger.get(ledgerId);
        if (state == null || state.length < 2 || !"sent".equals(state[0]) || state[1].isEmpty()) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(state[1]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
