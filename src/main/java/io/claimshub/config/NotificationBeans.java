package io.claimshub.config;

import io.claimshub.api.NotificationDeadLettersApi;
import io.claimshub.notification.NotificationDeadLetters;
import io.claimshub.ops.OpsAudit;
import io.claimshub.store.RedisTemplates;
import org.springframework.data.redis.core.StringRedisTemplate;
import io.claimshub.privacy.PersonalData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import io.claimshub.processing.AdjusterRoster;
import java.util.function.Supplier;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.api.NotificationsApi;
import io.claimshub.analytics.AnalyticsKeys;
import io.claimshub.api.ComplianceApi;
import io.claimshub.notification.ComplianceMail;
import io.claimshub.notification.ComplianceReports;
import io.claimshub.notification.CustomNotifications;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import io.claimshub.notification.NotificationKeys;
import io.claimshub.notification.NotificationOutbox;
import io.claimshub.notification.NotificationPayloads;
import io.claimshub.notification.NotificationPlanner;
import io.claimshub.notification.NotificationSettings;
import io.claimshub.notification.RulesWatch;
import io.claimshub.notification.SendLedger;
import io.claimshub.notification.Templates;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimantPseudonyms;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The notifications' beans: rules and templates (read and checked at start-up: a bad rules file or template stops
 * the hub with the file and line), the send ledger, the group's planner and outbox, the channels' settings.
 */
public class NotificationBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationBeans.class);

    @PropertyInject("hub.notifications.rules-file")
    private String rulesFile;
    @PropertyInject("hub.notifications.templates-dir")
    private String templatesDir;
    @PropertyInject("hub.notifications.namespace")
    private String namespace;
    @PropertyInject("hub.notifications.routes-dir")
    private String routesDir;
    @PropertyInject("hub.consumer.name")
    private String consumerName;
    @PropertyInject("hub.mail.smtp-url")
    private String smtpUrl;
    @PropertyInject("hub.mail.user")
    private String mailUser;
    @PropertyInject("hub.mail.password")
    private String mailPassword;
    @PropertyInject("hub.mail.starttls")
    private boolean mailStartTls;
    @PropertyInject("hub.mail.from")
    private String mailFrom;
    @PropertyInject("hub.mail.outbox-dir")
    private String mailOutboxDir;
    @PropertyInject("hub.notifications.email.timeout")
    private long mailTimeout;
    @PropertyInject("hub.sms.gateway-url")
    private String smsUrl;
    @PropertyInject("hub.sms.token")
    private String smsToken;
    @PropertyInject("hub.sms.from")
    private String smsFrom;
    @PropertyInject("hub.sms.outbox-file")
    private String smsOutboxFile;
    @PropertyInject("hub.notifications.sms.timeout")
    private long smsTimeout;
    @PropertyInject("hub.webhook.url")
    private String webhookUrl;
    @PropertyInject("hub.webhook.secret")
    private String webhookSecret;
    @PropertyInject("hub.webhook.outbox-file")
    private String webhookOutboxFile;
    @PropertyInject("hub.notifications.webhook.timeout")
    private long webhookTimeout;

    @PropertyInject("hub.compliance.address")
    private String complianceAddress;
    @PropertyInject("hub.compliance.report-time")
    private String reportTime;

    private CamelContext context;
    private RulesWatch rulesWatch;
    private SendLedger sendLedger;
    private Templates templates;

    @BindToRegistry("notificationKeys")
    public NotificationKeys notificationKeys() {
        return new NotificationKeys(namespace);
    }

    @BindToRegistry("notificationTemplates")
    public synchronized Templates notificationTemplates() {
        if (templates == null) {
            templates = new Templates(defaultTemplates(Path.of(templatesDir)));
            templates.checkAll();
        }
        return templates;
    }

    @BindToRegistry("notificationRules")
    public synchronized RulesWatch notificationRules() {
        if (rulesWatch == null) {
            rulesWatch = new RulesWatch(OperatorFiles.existingOrDefault(rulesFile, "notifications.yaml"),
                    notificationTemplates());
        }
        return rulesWatch;
    }

    /** Where the rules file is, for the notification-rules-reload route that watches it. */
    @BindToRegistry("notificationRulesFile")
    public WatchedFile notificationRulesFile() {
        return WatchedFile.of(notificationRules().file());
    }

    @BindToRegistry(value = "sendLedger", lazy = true)
    public synchronized SendLedger sendLedger(RedisConnectionFactory redisConnectionFactory) {
        if (sendLedger == null) {
            String owner = consumerName == null || consumerName.isBlank()
                    ? ManagementFactory.getRuntimeMXBean().getName() : consumerName;
            sendLedger = new SendLedger(redisConnectionFactory, notificationKeys(), Clock.systemUTC(), owner)
                    .protectWith(personalData());
        }
        return sendLedger;
    }

    // the personal-data access point (PersonalDataBeans), looked up when first needed
    private PersonalData personalData() {
        return context.getRegistry().lookupByNameAndType("personalData", PersonalData.class);
    }

    @BindToRegistry(value = "notificationPlanner", lazy = true)
    public NotificationPlanner notificationPlanner(RedisConnectionFactory redisConnectionFactory,
                                                   ClaimEventStore claimEventStore,
                                                   ClaimantPseudonyms claimantPseudonyms) {
        // the registry hands out the roster rosterWatch supplies now, so a reloaded roster is seen at once
        CamelContext camel = context;
        Supplier<AdjusterRoster> roster = () -> {
            Object bean = camel.getRegistry().lookupByName("rosterWatch");
            return (AdjusterRoster) (bean instanceof Supplier<?> supplier ? supplier.get() : bean);
        };
        return new NotificationPlanner(claimEventStore, new ClaimLifecycle(), notificationRules()::get, roster,
                notificationTemplates(), sendLedger(redisConnectionFactory), () -> claimantPseudonyms,
                Clock.systemUTC()).revealWith(personalData());
    }

    @BindToRegistry(value = "notificationOutbox", lazy = true)
    public NotificationOutbox notificationOutbox(RedisConnectionFactory redisConnectionFactory) {
        return new NotificationOutbox(sendLedger(redisConnectionFactory));
    }

    @BindToRegistry("notificationSettings")
    public NotificationSettings notificationSettings() {
        return new NotificationSettings(
                new NotificationSettings.Mail(smtpUrl, mailUser, mailPassword, mailStartTls, mailFrom, mailOutboxDir,
                        mailTimeout),
                new NotificationSettings.Http(smsUrl, smsToken, smsOutboxFile, smsTimeout),
                new NotificationSettings.Http(webhookUrl, webhookSecret, webhookOutboxFile, webhookTimeout));
    }

    @BindToRegistry("notificationPayloads")
    public NotificationPayloads notificationPayloads() {
        return new NotificationPayloads(mailFrom, smsFrom, webhookSecret);
    }

    @BindToRegistry(value = "customNotifications", lazy = true)
    public CustomNotifications customNotifications(RedisConnectionFactory redisConnectionFactory,
                                                   ClaimantPseudonyms claimantPseudonyms) {
        return new CustomNotifications(sendLedger(redisConnectionFactory), () -> claimantPseudonyms, Clock.systemUTC());
    }

    @BindToRegistry(value = "notificationsApi", lazy = true)
    public NotificationsApi notificationsApi(RedisConnectionFactory redisConnectionFactory, ClaimEventStore claimEventStore) {
        return new NotificationsApi(sendLedger(redisConnectionFactory), claimEventStore);
    }

    @BindToRegistry(value = "notificationDeadLettersApi", lazy = true)
    public NotificationDeadLettersApi notificationDeadLettersApi(RedisConnectionFactory redisConnectionFactory) {
        StringRedisTemplate redis = RedisTemplates.strings(redisConnectionFactory);
        return new NotificationDeadLettersApi(new NotificationDeadLetters(redis, notificationKeys(),
                sendLedger(redisConnectionFactory), new OpsAudit(redis, Clock.systemUTC())));
    }

    @BindToRegistry(value = "complianceReports", lazy = true)
    public ComplianceReports complianceReports(RedisConnectionFactory redisConnectionFactory,
                                               ClaimEventStore claimEventStore, AnalyticsKeys analyticsKeys) {
        return new ComplianceReports(redisConnectionFactory, analyticsKeys, claimEventStore,
                sendLedger(redisConnectionFactory), notificationRules()::get);
    }

    @BindToRegistry(value = "complianceMail", lazy = true)
    public ComplianceMail complianceMail(RedisConnectionFactory redisConnectionFactory,
                                         ComplianceReports complianceReports) {
        return new ComplianceMail(complianceReports, notificationKeys(), redisConnectionFactory,
                notificationRules()::get, complianceAddress, reportTime, Clock.systemUTC());
    }

    @BindToRegistry(value = "complianceApi", lazy = true)
    public ComplianceApi complianceApi(ComplianceReports complianceReports) {
        return new ComplianceApi(complianceReports);
    }

    /** Loads integration teams' own Camel YAML route files from {@code hub.notifications.routes-dir}. */
    private void loadCustomRoutes(CamelContext camelContext) throws Exception {
        Path dir = Path.of(routesDir);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Resource> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList()) {
                files.add(ResourceHelper.resolveMandatoryResource(camelContext, "file:" + file.toAbsolutePath()));
            }
        }
        if (!files.isEmpty()) {
            PluginHelper.getRoutesLoader(camelContext).loadRoutes(files);
            LOG.info("Loaded {} route file(s) from {}", files.size(), dir.toAbsolutePath());
        }
    }

    /** Puts the shipped templates in place on a fresh install, as the other operator files are. */
    private static Path defaultTemplates(Path directory) {
        if (Files.isDirectory(directory)) {
            return directory;
        }
        try (InputStream index = NotificationBeans.class.getResourceAsStream("/defaults/templates/index.txt")) {
            if (index == null) {
                return directory;
            }
            Files.createDirectories(directory);
            for (String name : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                if (name.isBlank() || name.startsWith("#")) {
                    continue;
                }
                try (InputStream template = NotificationBeans.class.getResourceAsStream("/defaults/templates/" + name.strip())) {
                    if (template != null) {
                        Files.copy(template, directory.resolve(name.strip()));
                    }
                }
            }
            LOG.warn("{} did not exist; wrote the shipped message templates there: edit them to suit",
                    directory.toAbsolutePath());
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the default templates to " + directory, e);
        }
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        context = camelContext;
        // rules and templates are checked while the hub starts, not when the first event needs them
        notificationRules();
        try {
            java.time.LocalTime.parse(reportTime.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("hub.compliance.report-time must be a UTC time of day (HH:mm), not '"
                                               + reportTime + "'");
        }
        loadCustomRoutes(camelContext);
        NotificationSettings settings = notificationSettings();
        if (!settings.mailConfigured()) {
            LOG.info("No SMTP server configured (hub.mail.smtp-url): e-mails are written as .eml files under {}",
                    Path.of(mailOutboxDir).toAbsolutePath());
        }
        if (!settings.smsConfigured()) {
            LOG.info("No SMS gateway configured (hub.sms.gateway-url): text messages are written to {}",
                    Path.of(smsOutboxFile).toAbsolutePath());
        }
        if (!settings.webhookConfigured()) {
            LOG.info("No status portal configured (hub.webhook.url): status updates are written to {}",
                    Path.of(webhookOutboxFile).toAbsolutePath());
        }
    }
}
