package io.claimshub.notification;

import io.claimshub.store.RedisTemplates;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The daily compliance e-mail: once the configured UTC time of day has passed, the previous day's report is due
 * until it is marked mailed. The mail goes through {@code direct:send-email} with a key derived from the report date,
 * so the send ledger sends it once however many hub instances find it due; the mark only spares them the work.
 */
public final class ComplianceMail {

    private static final Duration MARK_KEPT = Duration.ofDays(40);

    private final ComplianceReports reports;
    private final NotificationKeys keys;
    private final StringRedisTemplate redis;
    private final Supplier<NotificationRules> rules;
    private final String address;
    private final LocalTime reportTime;
    private final Clock clock;

    /**
     * @param address the compliance address, or blank for the first address of the rules file's {@code compliance} role
     * @param reportTime the UTC time of day from which the previous day's report is mailed ({@code HH:mm})
     */
    public ComplianceMail(ComplianceReports reports, NotificationKeys keys, RedisConnectionFactory connectionFactory,
                          Supplier<NotificationRules> rules, String address, String reportTime, Clock clock) {
        this.reports = reports;
        this.keys = keys;
        this.redis = RedisTemplates.strings(connectionFactory);
        this.rules = rules;
        this.address = address == null ? "" : address.trim();
        this.reportTime = LocalTime.parse(reportTime.trim());
        this.clock = clock;
    }

    /** The day whose report is due now (YYYY-MM-DD), or null when none is. */
    public String due() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
        if (now.toLocalTime().isBefore(reportTime)) {
            return null;
        }
        LocalDate day = now.toLocalDate().minusDays(1);
        return Boolean.TRUE.equals(redis.hasKey(keys.complianceMailed(day))) ? null : day.toString();
    }

    /** Where the report goes. */
    public String address() {
        if (!address.isEmpty()) {
            return address;
        }
        List<String> role = rules.get().roleAddresses("compliance");
        if (role.isEmpty()) {
            throw new IllegalStateException("No compliance address: set hub.compliance.address or the role "
                                            + "'compliance' in the notification rules");
        }
        return role.get(0);
    }

    public String subject(String day) {
        return "Compliance report " + LocalDate.parse(day);
    }

    /** The mail's body: a line saying what it is, then the CSV. */
    public String body(String day) {
        LocalDate date = LocalDate.parse(day);
        return "Claims decided on " + date + " (UTC) and the notifications the regulations expect.\n\n"
               + reports.csv(date);
    }

    /** The send ledger's key of the day's report: one mail per date. */
    public String key(String day) {
        return "compliance-report:" + LocalDate.parse(day);
    }

    public void mailed(String day) {
        redis.opsForValue().set(keys.complianceMailed(LocalDate.parse(day)), Long.toString(clock.millis()), MARK_KEPT);
    }
}
