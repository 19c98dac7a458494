package io.claimshub.config;

import io.claimshub.api.PersonalDataApi;
import io.claimshub.privacy.MasterKeys;
import io.claimshub.privacy.PersonalData;
import io.claimshub.privacy.PersonalDataRetention;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimantPseudonyms;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The personal-data protection (docs/data-protection.md): the master keys, the one access point that encrypts and
 * decrypts claimants' personal data ({@code personalData}), its retention task and its API.
 */
public class PersonalDataBeans implements CamelConfiguration {

    @PropertyInject("hub.security.encryption")
    private String encryption;
    @PropertyInject(value = "hub.security.master-key", defaultValue = "")
    private String masterKey;
    @PropertyInject(value = "hub.security.master-key-file", defaultValue = "")
    private String masterKeyFile;
    @PropertyInject(value = "hub.security.previous-master-key", defaultValue = "")
    private String previousMasterKey;
    @PropertyInject(value = "hub.security.previous-master-key-file", defaultValue = "")
    private String previousMasterKeyFile;
    @PropertyInject("hub.security.personal-data-retention-days")
    private long retentionDays;
    @PropertyInject("hub.security.personal-data-retention-interval")
    private long retentionInterval;
    @PropertyInject(value = "hub.consumer.name", defaultValue = "")
    private String consumerName;

    private PersonalData personalData;

    @BindToRegistry(value = "personalData", lazy = true)
    public synchronized PersonalData personalData(RedisConnectionFactory redisConnectionFactory,
                                                  ClaimantPseudonyms claimantPseudonyms) {
        if (personalData == null) {
            boolean on = !"off".equalsIgnoreCase(encryption == null ? "" : encryption.strip());
            if (!on) {
                personalData = PersonalData.off();
            } else {
                String key = masterKey == null || masterKey.isBlank() ? System.getenv("HUB_MASTER_KEY") : masterKey;
                MasterKeys masters = MasterKeys.configured(key, masterKeyFile, previousMasterKey, previousMasterKeyFile);
                personalData = new PersonalData(redisConnectionFactory, masters, () -> claimantPseudonyms,
                        Clock.systemUTC(), true);
            }
        }
        return personalData;
    }

    @BindToRegistry(value = "personalDataRetention", lazy = true)
    public PersonalDataRetention personalDataRetention(RedisConnectionFactory redisConnectionFactory,
                                                       ClaimantPseudonyms claimantPseudonyms) {
        String owner = consumerName == null || consumerName.isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() : consumerName;
        return new PersonalDataRetention(personalData(redisConnectionFactory, claimantPseudonyms),
                redisConnectionFactory, Duration.ofDays(retentionDays),
                Duration.ofMillis(Math.max(60_000, retentionInterval)), owner, Clock.systemUTC());
    }

    @BindToRegistry(value = "personalDataApi", lazy = true)
    public PersonalDataApi personalDataApi(RedisConnectionFactory redisConnectionFactory,
                                           ClaimantPseudonyms claimantPseudonyms, ClaimEventStore claimEventStore) {
        return new PersonalDataApi(personalData(redisConnectionFactory, claimantPseudonyms), claimEventStore);
    }
}
