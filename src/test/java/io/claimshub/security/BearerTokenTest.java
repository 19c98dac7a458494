package io.claimshub.security;


import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OAuth2/OIDC bearer JWTs against a JWKS served by a real HTTP server (WireMock), with RSA and EC keys generated
 * here: valid tokens get in with the roles of their roles claim; expired, not-yet-valid, wrongly signed, wrong-audience,
 * wrong-issuer, HMAC-signed and unsigned tokens are refused with 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BearerTokenTest {

    private static final String ISSUER = "https://idp.example/realms/claims";
    private static final String AUDIENCE = "claims-hub";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String stream = TestRedis.uniqueKey("jwt-events");
    private final String namespace = TestRedis.uniqueKey("jwt");
    private WireMockServer idp;
    private TestHub hub;
    private RSAKey rsa;
    private ECKey ec;
    private RSAKey stranger;

    @BeforeAll
    void bootHubTrustingTheIdp() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        // same key id as the trusted RSA key, another key: a forged signature
        stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        idp = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        idp.start();
        idp.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/realms/claims/certs").willReturn(okJson(
                new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString())));
        hub = TestHub.start(Map.of("hub.events.stream", stream, "hub.ingest.enabled", "false",
                "hub.security.namespace", namespace,
                "hub.auth.jwks-url", idp.baseUrl() + "/realms/claims/certs",
                "hub.auth.issuer", ISSUER, "hub.auth.audience", AUDIENCE,
                "hub.auth.roles-claim", "realm_access.roles", "hub.auth.adjuster-claim", "adjuster_id"));
    }

    @AfterAll
    void stop() {
        TestHub.stop(hub, stream);
        if (idp != null) {
            idp.stop();
        }
        TestRedis.template().delete(List.of(new SecurityKeys(namespace).apiKeys(),
                new SecurityKeys(namespace).accessAudit()));
    }

    @Test
    void aValidRsaOrEcTokenGetsInWithTheRolesOfItsRolesClaim() throws Exception {
        String ops = token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims -> { });
        assertThat(get("/api/ops/streams", ops).statusCode()).isEqualTo(200);
        // the token's roles: ops only
        assertThat(get("/api/audit", ops).statusCode()).isEqualTo(403);

        String auditor = token(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1",
                claims -> claims.claim("realm_access", Map.of("roles", List.of("auditor", "offline_access"))));
        // the ops request above is recorded under the token's subject
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> audit = get("/api/audit?subject=oidc:alice", auditor);
            assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
            assertThat(audit.body()).contains("oidc:alice", "/api/ops/streams");
        });
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        assertRefused(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                claims -> claims.expirationTime(Date.from(Instant.now().minusSeconds(300)))));
    }

    @Test
    void aTokenNotValidYetIsRefused() throws Exception {
        assertRefused(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                claims -> claims.notBeforeTime(Date.from(Instant.now().plusSeconds(600)))));
    }

    @Test
    void aWronglySignedTokenIsRefused() throws Exception {
        assertRefused(token(new RSASSASigner(stranger), JWSAlgorithm.RS256, "rsa-1", claims -> { }));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        assertRefused(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                claims -> claims.audience("another-api")));
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() throws Exception {
        assertRefused(token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                claims -> claims.issuer("https://evil.example")));
    }

    @Test
    void anHmacSignedOrUnsignedTokenIsRefused() throws Exception {
        assertRefused(token(new MACSigner("a-shared-secret-of-at-least-256-bits-0123456789"), JWSAlgorithm.HS256,
                "rsa-1", claims -> { }));
        String valid = token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims -> { });
        String[] parts = valid.split("\\.");
        String none = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + parts[1] + ".";
        assertRefused(none);
    }

    @Test
    void anAdjusterTokenActsAsTheAdjusterOfItsClaim() throws Exception {
        String adjuster = token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                claims -> claims.claim("realm_access", Map.of("roles", List.of("adjuster")))
                        .claim("adjuster_id", "ADJ-NOT-ON-THIS-CLAIM"));
        String supervisor = token(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                claims -> claims.claim("realm_access", Map.of("roles", List.of("supervisor", "intake"))));
        HttpResponse<String> submitted = HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + "/api/claims"))
                .header("Authorization", "Bearer " + supervisor).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ApiAccessTest.SUBMISSION)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String claimId = ApiAccessTest.json(submitted).get("claimId").asText();

        assertThat(get("/api/claims/" + claimId, adjuster).statusCode()).isEqualTo(403);
        HttpResponse<String> events = get("/api/claims/" + claimId + "/events", supervisor);
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(ApiAccessTest.json(events).get("events").get(0).get("actor").asText()).isEqualTo("oidc:alice");
    }

    private void assertRefused(String token) throws Exception {
        HttpResponse<String> response = get("/api/ops/streams", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
    }

    /** A token from the IdP for subject alice with role ops, valid for 5 minutes, changed by {@code change}. */
    private static String token(JWSSigner signer, JWSAlgorithm algorithm, String keyId,
                                Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("alice").issuer(ISSUER).audience(AUDIENCE)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .claim("realm_access", Map.of("roles", List.of("ops")));
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.apiBase() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
