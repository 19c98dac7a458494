package io.claimshub.api;

import io.claimshub.notification.ComplianceReports;
import java.time.LocalDate;

/**
 * {@code GET /api/reports/compliance/{date}}: the day's compliance report as CSV, one line per (decided claim,
 * expected notification). Claim ids only, no personal data.
 */
public final class ComplianceApi {

    public static final String CSV = "text/csv; charset=utf-8";

    private final ComplianceReports reports;

    public ComplianceApi(ComplianceReports reports) {
        this.reports = reports;
    }

    public ApiResponse report(String date) {
        LocalDate day = AnalyticsApi.day(date);
        if (day == null) {
            return AnalyticsApi.bad("date", date, "is not a date (YYYY-MM-DD)");
        }
        return ApiResponse.text(200, CSV, reports.csv(day));
    }
}
