package io.claimshub.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OAuth2/OIDC bearer tokens (nimbus-jose-jwt): signature against the issuer's JWKS (fetched from
 * {@code hub.auth.jwks-url}, cached, fetched again when a token names an unknown key id), asymmetric algorithms only
 * (RSA, RSA-PSS, EC: no {@code none}, no HMAC), {@code iss}, {@code aud}, {@code exp} (required) and {@code nbf} with
 * a small clock skew. Roles come from a claim named by a dotted path ({@code realm_access.roles}); names that are not
 * hub roles are ignored. The adjuster id comes from another claim.
 */
public final class JwtVerifier {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final String rolesClaim;
    private final String adjusterClaim;

    public JwtVerifier(String jwksUrl, String issuer, String audience, String rolesClaim, String adjusterClaim,
                       int clockSkewSeconds) {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("hub.auth.jwks-url is set: hub.auth.issuer and hub.auth.audience"
                    + " must be set too");
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("hub.auth.jwks-url is not a URL: " + jwksUrl, e);
        }
        DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
        jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience.trim(),
                new JWTClaimsSet.Builder().issuer(issuer.trim()).build(), Set.of("sub", "exp", "iss", "aud"));
        claims.setMaxClockSkew(clockSkewSeconds);
        jwt.setJWTClaimsSetVerifier(claims);
        this.processor = jwt;
        this.rolesClaim = rolesClaim;
        this.adjusterClaim = adjusterClaim;
    }

    /** The token's caller; empty when the token is refused for any reason (signature, issuer, audience, time). */
    public Optional<Caller> verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (Exception e) {
            return Optional.empty();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names(path(claims.getClaims(), rolesClaim))) {
            try {
                roles.add(Role.fromWire(name));
            } catch (IllegalArgumentException notOurs) {
                // an IdP's other roles
            }
        }
        Object adjuster = path(claims.getClaims(), adjusterClaim);
        return Optional.of(new Caller("oidc:" + claims.getSubject(), roles,
                adjuster instanceof String id && !id.isBlank() ? id : null));
    }

    private static Object path(Map<String, Object> claims, String dotted) {
        Object value = claims;
        for (String part : dotted.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }

    private static Set<String> names(Object value) {
        Set<String> names = new HashSet<>();
        if (value instanceof Collection<?> list) {
            list.forEach(item -> names.add(String.valueOf(item)));
        } else if (value instanceof String text) {
            for (String name : text.split("[ ,]+")) {
                if (!name.isBlank()) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
