package io.claimshub.config;

import io.claimshub.api.PaymentsApi;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.payment.PaymentApiSender;
import io.claimshub.payment.PaymentConfirmations;
import io.claimshub.payment.PaymentFiles;
import io.claimshub.payment.PaymentInitiation;
import io.claimshub.payment.PaymentKeys;
import io.claimshub.payment.PaymentSettings;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimSnapshots;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheck;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The payment adapter's beans (routes/integrations/payments, routes/api/payments-api; docs/adapters.md "Payments"),
 * and the partner health check and breaker gauges for every circuit breaker in the hub. Settings are checked when the
 * hub starts: an unknown mode, API mode without a URL or a bad cut-off time stop the start with the setting's name.
 */
public class PaymentBeans implements CamelConfiguration {

    private volatile CamelContext camelContext;

    @PropertyInject("hub.integrations.namespace")
    private String namespace;
    @PropertyInject("hub.payment.mode")
    private String mode;
    @PropertyInject("hub.payment.api-url")
    private String apiUrl;
    @PropertyInject("hub.payment.api-token")
    private String apiToken;
    @PropertyInject("hub.payment.api-timeout")
    private long apiTimeout;
    @PropertyInject("hub.payment.callback-secret")
    private String callbackSecret;
    @PropertyInject("hub.payment.cutoff-times")
    private String cutoffTimes;
    @PropertyInject("hub.payment.cutoff-interval")
    private long cutoffInterval;
    @PropertyInject("hub.payment.originator-id")
    private String originatorId;

    private PaymentSettings settings;
    private PaymentInitiation initiation;
    private PaymentApiSender sender;
    private PartnerBreakers breakers;

    @BindToRegistry("paymentKeys")
    public PaymentKeys paymentKeys() {
        return new PaymentKeys(namespace);
    }

    @BindToRegistry("paymentSettings")
    public synchronized PaymentSettings paymentSettings() {
        if (settings == null) {
            settings = new PaymentSettings(mode, apiUrl, apiToken, apiTimeout, cutoffTimes);
        }
        return settings;
    }

    @BindToRegistry(value = "paymentInitiation", lazy = true)
    public synchronized PaymentInitiation paymentInitiation(ClaimEventStore claimEventStore) {
        if (initiation == null) {
            initiation = new PaymentInitiation(claimEventStore, new ClaimLifecycle(), Clock.systemUTC())
                    .protectedBy(this::personalData);
        }
        return initiation;
    }

    @BindToRegistry(value = "paymentApiSender", lazy = true)
    public synchronized PaymentApiSender paymentApiSender(RedisConnectionFactory redisConnectionFactory,
                                                          ClaimEventStore claimEventStore) {
        if (sender == null) {
            // held while one instance sends; a crashed sender's lease runs out after two timeouts
            sender = new PaymentApiSender(redisConnectionFactory, paymentKeys(), paymentInitiation(claimEventStore),
                    Clock.systemUTC(), Duration.ofMillis(Math.max(1000, 2 * apiTimeout + 1000)),
                    UUID.randomUUID().toString());
        }
        return sender;
    }

    @BindToRegistry(value = "paymentFiles", lazy = true)
    public PaymentFiles paymentFiles(RedisConnectionFactory redisConnectionFactory, ClaimSnapshots claimSnapshots) {
        return new PaymentFiles(redisConnectionFactory, paymentKeys(), claimSnapshots, Clock.systemUTC(),
                paymentSettings().cutoffTimes(), cutoffInterval, originatorId).protectedBy(this::personalData);
    }

    @BindToRegistry(value = "paymentConfirmations", lazy = true)
    public PaymentConfirmations paymentConfirmations(ClaimEventStore claimEventStore) {
        return new PaymentConfirmations(paymentInitiation(claimEventStore));
    }

    @BindToRegistry(value = "paymentsApi", lazy = true)
    public PaymentsApi paymentsApi(ClaimEventStore claimEventStore) {
        return new PaymentsApi(paymentInitiation(claimEventStore), callbackSecret);
    }

    @BindToRegistry(value = "partnerHealthCheck", lazy = true)
    public HealthCheck partnerHealthCheck(CamelContext camelContext) {
        return new PartnerHealthCheck(partnerBreakers(camelContext));
    }

    private synchronized PartnerBreakers partnerBreakers(CamelContext camelContext) {
        if (breakers == null) {
            breakers = new PartnerBreakers(camelContext);
        }
        return breakers;
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        this.camelContext = camelContext;
        paymentSettings();
        if (settings.fileMode() && cutoffInterval <= 0 && settings.cutoffTimes().isEmpty()) {
            throw new IllegalArgumentException("hub.payment.cutoff-times names no time (HH:mm,HH:mm)");
        }
        // the breakers exist once the routes have started: their state gauges go on then
        camelContext.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
                if (meters != null) {
                    partnerBreakers(context).bindTo(meters);
                }
            }
        });
    }

    // the personal-data access point (PersonalDataBeans), looked up when first needed
    private io.claimshub.privacy.PersonalData personalData() {
        return camelContext.getRegistry().lookupByNameAndType("personalData", io.claimshub.privacy.PersonalData.class);
    }
}
