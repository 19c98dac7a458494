package io.claimshub.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to Redis ({@code rediss://}) from PEM files, with the JDK alone: the CA(s) to trust ({@code hub.redis.tls.ca-file},
 * else the JVM's default ones), an optional client certificate and PKCS#8 key for mutual TLS
 * ({@code hub.redis.tls.cert-file}, {@code hub.redis.tls.key-file}), and hostname verification
 * ({@code hub.redis.tls.verify-hostname}, on by default) done by the JDK's endpoint identification during the handshake.
 */
public record RedisTls(String caFile, String certFile, String keyFile, boolean verifyHostname) {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    public RedisTls {
        caFile = blankToNull(caFile);
        certFile = blankToNull(certFile);
        keyFile = blankToNull(keyFile);
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("hub.redis.tls.cert-file and hub.redis.tls.key-file go together: set both "
                    + "(mutual TLS) or neither");
        }
    }

    /** Defaults: the JVM's CAs, no client certificate, hostname verified. */
    public static RedisTls defaults() {
        return new RedisTls(null, null, null, true);
    }

    /** Whether any file is set: then the URL must be {@code rediss://}. */
    public boolean configured() {
        return caFile != null || certFile != null;
    }

    /** The socket factory for Jedis: trusts the CA file's certificates (or the JVM's) and presents the client's. */
    public SSLSocketFactory socketFactory() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(caFile)) {
                    cas.setCertificateEntry("ca-" + i++, ca);
                }
                trust.init(cas);
            }
            KeyManagerFactory keys = null;
            if (certFile != null) {
                KeyStore client = KeyStore.getInstance("PKCS12");
                client.load(null, null);
                List<Certificate> chain = List.copyOf(certificates(certFile));
                client.setKeyEntry("client", privateKey(keyFile), NO_PASSWORD, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(client, NO_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS to Redis from hub.redis.tls.*: " + e.getMessage(), e);
        }
    }

    /** With hostname verification: the JDK checks the certificate's names against the host during the handshake. */
    public SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        if (verifyHostname) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return parameters;
    }

    private static Collection<? extends Certificate> certificates(String file) throws IOException, GeneralSecurityException {
        byte[] pem = Files.readAllBytes(Path.of(file));
        Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem));
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        return certificates;
    }

    private static PrivateKey privateKey(String file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        Matcher matcher = PRIVATE_KEY.matcher(pem);
        if (!matcher.find()) {
            throw new GeneralSecurityException("no private key in " + file);
        }
        if (!matcher.group(1).isEmpty()) {
            // "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY": not PKCS#8 in the clear
            throw new GeneralSecurityException(file + " holds a " + matcher.group(1).trim() + " key; the hub reads "
                    + "unencrypted PKCS#8 (BEGIN PRIVATE KEY): openssl pkcs8 -topk8 -nocrypt -in " + file);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(matcher.group(2)));
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisOne) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("the private key in " + file + " is neither RSA, EC nor EdDSA");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
