package io.claimshub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RedisTls}: PEM files read with the JDK, and the mistakes it names before any connection. */
class RedisTlsTest {

    @TempDir
    Path dir;

    @Test
    void readsAPemCaAndAPkcs8ClientKeyOfEitherAlgorithm() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.crt", "-days", "1",
                "-subj", "/CN=rsa");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "ec.key", "-out", "ec.crt", "-days", "1", "-subj", "/CN=ec");

        for (String name : List.of("rsa", "ec")) {
            RedisTls tls = new RedisTls(file(name + ".crt"), file(name + ".crt"), file(name + ".key"), true);
            assertThat(tls.socketFactory()).isNotNull();
            assertThat(tls.parameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        }
        assertThat(new RedisTls(null, null, null, false).parameters().getEndpointIdentificationAlgorithm()).isNull();
        assertThat(RedisTls.defaults().configured()).isFalse();
    }

    @Test
    void namesWhatIsWrongWithTheFiles() throws Exception {
        openssl("genrsa", "-traditional", "-out", "pkcs1.key", "2048");
        openssl("req", "-x509", "-key", "pkcs1.key", "-out", "pkcs1.crt", "-days", "1", "-subj", "/CN=pkcs1");

        assertThatThrownBy(() -> new RedisTls(null, file("pkcs1.crt"), file("pkcs1.key"), true).socketFactory())
                .hasMessageContaining("RSA key").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        assertThatThrownBy(() -> new RedisTls(null, file("pkcs1.crt"), null, true))
                .hasMessageContaining("hub.redis.tls.cert-file and hub.redis.tls.key-file go together");
        assertThatThrownBy(() -> new RedisTls(file("missing.crt"), null, null, true).socketFactory())
                .hasMessageContaining("missing.crt");
        assertThatThrownBy(() -> RedisConnectionFactories.jedis(RedisConnectionSettings.parse("redis://127.0.0.1:1",
                null, null, java.time.Duration.ofSeconds(1), 1), new RedisTls(file("pkcs1.crt"), null, null, true)))
                .hasMessageContaining("not rediss://");
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", command, output).isZero();
        assertThat(Files.exists(dir)).isTrue();
    }
}
