package io.claimshub.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * API keys, stored in Redis only as their SHA-256 (a key is 256 random bits, so a fast unsalted hash cannot be
 * reversed or guessed, unlike a password; a slow password hash would cost every request milliseconds for nothing).
 * Each has a unique name and roles, and optionally the roster id of the adjuster it acts as. A lookup is cached for
 * {@code cacheMillis}, so a revoked key stops working within that time on every instance.
 */
public final class ApiKeys {

    /** Every key the hub makes starts with this, so it is told apart from a JWT and found by secret scanners. */
    public static final String PREFIX = "chk_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored key: its name, roles and adjuster id (null for none). */
    public record ApiKey(String name, Set<Role> roles, String adjusterId, String createdAt) {
        public Caller caller() {
            return new Caller("key:" + name, roles, adjusterId);
        }
    }

    private record Cached(Optional<ApiKey> key, long until) {
    }

    private final StringRedisTemplate redis;
    private final SecurityKeys keys;
    private final Clock clock;
    private final long cacheMillis;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeys(StringRedisTemplate redis, SecurityKeys keys, Clock clock, long cacheMillis) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.cacheMillis = cacheMillis;
    }

    public static String hash(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The cached answer for a key, if a fresh one is at hand (no Redis call): for the event loop. */
    public Optional<Optional<ApiKey>> cached(String apiKey) {
        Cached hit = cache.get(hash(apiKey));
        return hit != null && hit.until() > clock.millis() ? Optional.of(hit.key()) : Optional.empty();
    }

    /** The key's record, from the cache or Redis (blocking). */
    public Optional<ApiKey> lookup(String apiKey) {
        String hash = hash(apiKey);
        Cached hit = cache.get(hash);
        long now = clock.millis();
        if (hit != null && hit.until() > now) {
            return hit.key();
        }
        Object value = redis.opsForHash().get(keys.apiKeys(), hash);
        Optional<ApiKey> key = value == null ? Optional.empty() : Optional.of(read(value.toString()));
        if (cache.size() > 10_000) {
            // unknown keys sprayed at the API must not grow the cache without end
            cache.clear();
        }
        cache.put(hash, new Cached(key, now + cacheMillis));
        return key;
    }

    /**
     * Creates a key and answers it: the only time it is seen. A name in use is an error (revoke it first).
     */
    public String create(String name, Set<Role> roles, String adjusterId) {
        checkName(name);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one role");
        }
        if (roles.contains(Role.ADJUSTER) && !roles.contains(Role.SUPERVISOR)
                && (adjusterId == null || adjusterId.isBlank())) {
            throw new IllegalArgumentException("a key with the adjuster role (and not supervisor) needs --adjuster"
                    + " <roster id>: it may only act on that adjuster's claims");
        }
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("a key named '" + name + "' exists; revoke it first");
        }
        String apiKey = newKey();
        store(apiKey, name, roles, adjusterId);
        return apiKey;
    }

    /** Stores a key given from outside (HUB_API_BOOTSTRAP_KEY) under its name, replacing an older key of that name. */
    public void put(String apiKey, String name, Set<Role> roles) {
        checkName(name);
        String hash = hash(apiKey);
        for (Map.Entry<String, ApiKey> entry : all().entrySet()) {
            if (entry.getValue().name().equals(name) && !entry.getKey().equals(hash)) {
                redis.opsForHash().delete(keys.apiKeys(), entry.getKey());
            }
        }
        store(apiKey, name, roles, null);
    }

    /** Deletes the key of that name; false when there is none. */
    public boolean revoke(String name) {
        Optional<String> hash = find(name);
        hash.ifPresent(h -> {
            redis.opsForHash().delete(keys.apiKeys(), h);
            cache.remove(h);
        });
        return hash.isPresent();
    }

    public List<ApiKey> list() {
        List<ApiKey> list = new ArrayList<>(all().values());
        list.sort((a, b) -> a.name().compareTo(b.name()));
        return list;
    }

    public boolean isEmpty() {
        return redis.opsForHash().size(keys.apiKeys()) == 0;
    }

    private Optional<String> find(String name) {
        return all().entrySet().stream().filter(e -> e.getValue().name().equals(name)).map(Map.Entry::getKey)
                .findFirst();
    }

    private Map<String, ApiKey> all() {
        Map<String, ApiKey> all = new java.util.LinkedHashMap<>();
        redis.opsForHash().entries(keys.apiKeys()).forEach((hash, value) -> all.put(hash.toString(),
                read(value.toString())));
        return all;
    }

    private void store(String apiKey, String name, Set<Role> roles, String adjusterId) {
        ObjectNode json = EventJson.mapper().createObjectNode().put("name", name)
                .put("roles", new Caller(name, roles, null).roleNames())
                .put("createdAt", clock.instant().toString());
        if (adjusterId != null && !adjusterId.isBlank()) {
            json.put("adjusterId", adjusterId.trim());
        }
        String hash = hash(apiKey);
        redis.opsForHash().put(keys.apiKeys(), hash, EventJson.write(json));
        cache.remove(hash);
    }

    private static ApiKey read(String value) {
        JsonNode json = EventJson.parse(value, "apiKey");
        JsonNode adjuster = json.path("adjusterId");
        return new ApiKey(json.path("name").asText(), Role.parseList(json.path("roles").asText()),
                adjuster.isTextual() ? adjuster.textValue() : null, json.path("createdAt").asText());
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a key's name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }
}
