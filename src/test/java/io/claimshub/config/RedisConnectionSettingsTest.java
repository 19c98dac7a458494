package io.claimshub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

class RedisConnectionSettingsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void plainUrlGivesHostPortAndDatabase() {
        RedisConnectionSettings settings = RedisConnectionSettings.parse("redis://10.1.2.3:6390/4", "", "", TIMEOUT, 8);

        assertThat(settings.host()).isEqualTo("10.1.2.3");
        assertThat(settings.port()).isEqualTo(6390);
        assertThat(settings.database()).isEqualTo(4);
        assertThat(settings.ssl()).isFalse();
        assertThat(settings.username()).isNull();
        assertThat(settings.password()).isNull();
        assertThat(settings.usesSentinel()).isFalse();
    }

    @Test
    void aclUserAndPasswordAndTlsAreTaken() {
        RedisConnectionSettings settings = RedisConnectionSettings.parse("rediss://claims-hub:s%40cret@redis.internal/0",
                null, null, TIMEOUT, 8);

        assertThat(settings.ssl()).isTrue();
        assertThat(settings.username()).isEqualTo("claims-hub");
        assertThat(settings.password()).isEqualTo("s@cret");
        assertThat(settings.port()).isEqualTo(6379);
        assertThat(settings.describe()).doesNotContain("s@cret").contains("rediss://").contains("as claims-hub");
    }

    @Test
    void passwordAloneIsForTheDefaultUser() {
        RedisConnectionSettings settings = RedisConnectionSettings.parse("redis://:secret@localhost:6379", null, null, TIMEOUT, 8);

        assertThat(settings.username()).isNull();
        assertThat(settings.password()).isEqualTo("secret");
    }

    @Test
    void sentinelNodesAreParsedWhenAMasterIsNamed() {
        RedisConnectionSettings settings = RedisConnectionSettings.parse("redis://:secret@ignored/2", "claims",
                "s1:26379, s2:26379", TIMEOUT, 8);

        assertThat(settings.usesSentinel()).isTrue();
        assertThat(settings.sentinelNodes()).isEqualTo(List.of("s1:26379", "s2:26379"));
        assertThat(settings.database()).isEqualTo(2);
        assertThat(settings.password()).isEqualTo("secret");
    }

    @Test
    void connectsToTheMasterThatARealSentinelNames() throws Exception {
        // given a Redis master and a Sentinel watching it under the name "claims"
        int masterPort = TestRedis.freePort();
        int sentinelPort = TestRedis.freePort();
        RedisServer master = RedisServer.newRedisServer().bind("127.0.0.1").port(masterPort).setting("save \"\"").build();
        RedisSentinel sentinel = RedisSentinel.newRedisSentinel().bind("127.0.0.1").port(sentinelPort)
                .masterPort(masterPort).masterName("claims").build();
        master.start();
        sentinel.start();
        JedisConnectionFactory factory = null;
        try {
            // when the hub connects through the Sentinel
            factory = RedisConnectionFactories.jedis(RedisConnectionSettings.parse("redis://ignored/0", "claims",
                    "127.0.0.1:" + sentinelPort, TIMEOUT, 2));

            // expect commands to reach the master
            try (RedisConnection connection = factory.getConnection()) {
                connection.stringCommands().set("sentinel:probe".getBytes(), "via-sentinel".getBytes());
            }
            StringRedisTemplate direct = new StringRedisTemplate(TestRedis.connectionFactory("redis://127.0.0.1:" + masterPort));
            direct.afterPropertiesSet();
            assertThat(direct.opsForValue().get("sentinel:probe")).isEqualTo("via-sentinel");
        } finally {
            if (factory != null) {
                factory.destroy();
            }
            sentinel.stop();
            master.stop();
        }
    }

    @Test
    void theClientSocketTimeoutIsTheConfiguredOne() {
        JedisConnectionFactory factory = RedisConnectionFactories.jedis(
                RedisConnectionSettings.parse("redis://localhost:6379", null, null, Duration.ofSeconds(7), 4));
        try {
            assertThat(factory.getClientConfiguration().getReadTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(factory.getClientConfiguration().getPoolConfig()).get()
                    .satisfies(pool -> assertThat(pool.getMaxTotal()).isEqualTo(4));
        } finally {
            factory.destroy();
        }
    }

    @Test
    void aMaskedUrlKeepsTheUserAndHidesThePassword() {
        assertThat(RedisConnectionSettings.masked("rediss://claims-hub:s%40cret@redis.internal:6380/0"))
                .isEqualTo("rediss://claims-hub:****@redis.internal:6380/0");
        assertThat(RedisConnectionSettings.masked("redis://:secret@localhost")).isEqualTo("redis://:****@localhost");
        assertThat(RedisConnectionSettings.masked("redis://secret@localhost/2")).isEqualTo("redis://****@localhost/2");
        assertThat(RedisConnectionSettings.masked("redis://u:p@ss:w@rd@host")).isEqualTo("redis://u:****@host");
        assertThat(RedisConnectionSettings.masked("redis://127.0.0.1:6379/0")).isEqualTo("redis://127.0.0.1:6379/0");
    }

    @Test
    void rejectsWhatIsNotARedisUrl() {
        assertThatThrownBy(() -> RedisConnectionSettings.parse("http://user:pw@localhost", null, null, TIMEOUT, 8))
                .hasMessageContaining("http://user:****@localhost").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> RedisConnectionSettings.parse("redis://localhost/abc", null, null, TIMEOUT, 8))
                .hasMessageContaining("database");
        assertThatThrownBy(() -> RedisConnectionSettings.parse("redis://localhost", "claims", "", TIMEOUT, 8))
                .hasMessageContaining("hub.redis.sentinel.nodes");
    }
}
