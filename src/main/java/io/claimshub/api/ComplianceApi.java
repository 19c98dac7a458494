package io.claimshub.api;

import io.claimshub.event.FieldError;
import io.claimshub.notification.ComplianceReports;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * {@code GET /api/reports/compliance/{date}}: the day's compliance report as CSV, one line per (decided claim,
 * expected notification). Claim ids only, no personal data.
 */
public final class ComplianceApi {

    public static final String CSV = "text/csv; charset=utf-8";
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final ComplianceReports reports;

    public ComplianceApi(ComplianceReports reports) {
        this.reports = reports;
    }

    public ApiResponse report(String date) {
        LocalDate day = day(date);
        if (day == null) {
            String shown = date == null ? "(missing)"
                    : "'" + (date.length() > 40 ? date.substring(0, 40) + "..." : date) + "'";
            return Problems.invalid(new FieldError("date", shown + " is not a date (YYYY-MM-DD)"));
        }
        return ApiResponse.text(200, CSV, reports.csv(day));
    }

    /** The date as a day, or null when it is not one (YYYY-MM-DD). */
    public static LocalDate day(String date) {
        if (date == null || !DATE.matcher(date).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
