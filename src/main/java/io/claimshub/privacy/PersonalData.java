package io.claimshub.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.ops.OpsAudit;
import io.claimshub.ops.OpsKeys;
import io.claimshub.store.ClaimantPseudonyms;
import io.claimshub.store.RedisScripts;
import io.claimshub.store.RedisTemplates;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The one access point to claimants' personal data (docs/data-protection.md). Ingress encrypts the personal fields of
 * an event ({@link #protect}) before it reaches the store, field by field with AES-256-GCM under the claimant's data
 * key; everything downstream (streams, snapshots, dead letters, archives, outboxes) holds only the tokens. Readers
 * that may show the data (the claims API, the notifications, the adapters) decrypt through {@link #reveal}. A data
 * key is wrapped by the master key ({@link MasterKeys}) and kept in Redis; destroying it ({@link #erase}) makes every
 * token of that claimant unreadable for good: they read as {@value #ERASED}.
 *
 * <p>Token: {@code pd1:<field>:<pseudonym>:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>}, the additional
 * authenticated data binding it to its claim, field, claimant and key.
 */
public final class PersonalData {

    /** How an erased value reads. */
    public static final String ERASED = "[erased]";
    /** How a value reads whose token does not decrypt (altered, or moved to another claim). */
    public static final String UNREADABLE = "[unreadable]";
    static final String PREFIX = "pd1:";

    /** The personal fields of each event type's data, as paths; every string below them is encrypted. */
    private static final Map<EventType, List<String>> FIELDS = Map.of(
            EventType.CLAIM_SUBMITTED, List.of("claimant.name", "claimant.email", "claimant.phone", "description"),
            EventType.CLAIM_REJECTED, List.of("reasonText"),
            EventType.CLAIM_INVESTIGATED, List.of("notes"),
            EventType.CLAIM_DOCUMENT_UPLOADED, List.of("fileName"),
            EventType.CLAIM_PAYMENT_INITIATED, List.of("payee", "payeeName", "payeeAccount", "iban", "accountNumber"),
            EventType.CLAIM_PAYMENT_COMPLETED, List.of("payee", "payeeName", "payeeAccount", "iban", "accountNumber"));

    private static final Logger LOG = LoggerFactory.getLogger(PersonalData.class);
    private static final RedisScript<List<Object>> OPEN = RedisScripts.replies("redis/personal-data-open.lua");
    private static final RedisScript<Long> ERASE = RedisScripts.number("redis/personal-data-erase.lua");
    private static final RedisScript<Long> REWRAP = RedisScripts.number("redis/personal-data-rewrap.lua");
    private static final RedisScript<Long> CLOSED = RedisScripts.number("redis/personal-data-closed.lua");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(CIPHER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    });
    /** How long an unwrapped data key is kept in memory: an erasure on another instance is seen within this time. */
    public static final long CACHE_MILLIS = 30_000;
    private static final int CACHE_MAX = 10_000;

    private final boolean enabled;
    private final StringRedisTemplate redis;
    private final MasterKeys masters;
    private final Supplier<ClaimantPseudonyms> pseudonyms;
    private final Clock clock;
    private final Map<String, Cached> keys = new ConcurrentHashMap<>();
    private final Map<String, Cached> current = new ConcurrentHashMap<>();

    private record Cached(String kid, SecretKey key, long until) {
    }

    public PersonalData(RedisConnectionFactory connectionFactory, MasterKeys masters,
                        Supplier<ClaimantPseudonyms> pseudonyms, Clock clock, boolean enabled) {
        this.redis = connectionFactory == null ? null : RedisTemplates.strings(connectionFactory);
        this.masters = masters;
        this.pseudonyms = pseudonyms;
        this.clock = clock;
        this.enabled = enabled;
    }

    /** No encryption at all (tests of single classes, the benchmark's baseline): every method passes values through. */
    public static PersonalData off() {
        return new PersonalData(null, null, null, Clock.systemUTC(), false);
    }

    public boolean enabled() {
        return enabled;
    }

    // ---------------------------------------------------------------- ingress

    /**
     * The event with its personal fields encrypted, for the store. A submission opens (or creates) its claimant's
     * data key and counts the claim as open; another event uses the key of the claimant {@code stateOrNull} names.
     * For a claimant already erased the personal fields are stored as {@value #ERASED}.
     */
    public EventEnvelope protect(EventEnvelope event, ClaimState stateOrNull) {
        if (event.type() == EventType.CLAIM_SUBMITTED) {
            return protectSubmissions(List.of(event)).get(0);
        }
        if (!hasPersonalFields(event)) {
            return event;
        }
        String pseudonym = claimantOf(stateOrNull);
        if (pseudonym == null) {
            return event;
        }
        return sealed(event, pseudonym, currentKey(pseudonym));
    }

    /**
     * {@link #protect} of each {@code claim.submitted} event (a bulk ingress's chunk), answered in order, with the
     * keys of all their claimants opened (or created) and their claims counted open in one Redis round trip: each
     * claimant as one atomic step of its own, in order, so a claimant named twice gets the key made for the first.
     */
    public List<EventEnvelope> protectSubmissions(List<EventEnvelope> submissions) {
        List<EventEnvelope> protectedEvents = new ArrayList<>(submissions);
        List<Integer> toSeal = new ArrayList<>();
        List<Opening> openings = new ArrayList<>();
        for (int i = 0; i < submissions.size(); i++) {
            EventEnvelope event = submissions.get(i);
            if (event.type() != EventType.CLAIM_SUBMITTED) {
                throw new IllegalArgumentException(event.eventType() + " is not a submission");
            }
            if (!hasPersonalFields(event)) {
                continue;
            }
            JsonNode email = node(event.data(), "claimant.email");
            if (!email.isTextual()) {
                continue;
            }
            toSeal.add(i);
            openings.add(new Opening(pseudonyms.get().ofEmail(email.asText()), event.claimId(), true));
        }
        List<Cached> keys = open(openings);
        for (int j = 0; j < toSeal.size(); j++) {
            int i = toSeal.get(j);
            protectedEvents.set(i, sealed(submissions.get(i), openings.get(j).pseudonym(), keys.get(j)));
        }
        return protectedEvents;
    }

    private boolean hasPersonalFields(EventEnvelope event) {
        List<String> paths = FIELDS.get(event.type());
        return enabled && paths != null && !paths.stream().allMatch(path -> node(event.data(), path).isMissingNode());
    }

    private static EventEnvelope sealed(EventEnvelope event, String pseudonym, Cached key) {
        ObjectNode data = event.data().deepCopy();
        for (String path : FIELDS.get(event.type())) {
            int dot = path.lastIndexOf('.');
            JsonNode parent = dot < 0 ? data : node(data, path.substring(0, dot));
            String name = dot < 0 ? path : path.substring(dot + 1);
            if (parent instanceof ObjectNode object && object.has(name)) {
                object.set(name, seal(object.get(name), event.claimId(), path, pseudonym, key));
            }
        }
        return new EventEnvelope(event.eventId(), event.eventType(), event.claimId(), event.timestamp(), data,
                event.version(), event.actor());
    }

    private static JsonNode seal(JsonNode value, String claimId, String path, String pseudonym, Cached key) {
        if (value.isTextual()) {
            // whatever the client sent is encrypted, even text that looks like a token
            return TextNode.valueOf(key == null ? ERASED : encrypt(value.asText(), claimId, path, pseudonym, key));
        }
        if (value instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                copy.set(name, seal(object.get(name), claimId, path + "." + name, pseudonym, key));
            }
            return copy;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            for (int i = 0; i < array.size(); i++) {
                copy.add(seal(array.get(i), claimId, path + "[" + i + "]", pseudonym, key));
            }
            return copy;
        }
        return value;
    }

    /**
     * The claim was closed by an event at {@code closedAt}: off its claimant's open claims, their retention clock
     * started ({@link PersonalDataRetention}).
     */
    public void closed(ClaimState state, Instant closedAt) {
        String pseudonym = enabled ? claimantOf(state) : null;
        if (pseudonym == null) {
            return;
        }
        redis.execute(CLOSED, List.of(PersonalDataKeys.openClaims(pseudonym), PersonalDataKeys.RETENTION),
                state.claimId(), pseudonym, Long.toString(closedAt.toEpochMilli()));
    }

    // ---------------------------------------------------------------- readers

    /** A copy of {@code json} with every token decrypted (or {@value #ERASED}); claimId is the claim it belongs to. */
    public JsonNode reveal(String claimId, JsonNode json) {
        if (json == null || !contains(json)) {
            return json;
        }
        return revealed(claimId, json.deepCopy());
    }

    public ObjectNode reveal(String claimId, ObjectNode json) {
        return (ObjectNode) reveal(claimId, (JsonNode) json);
    }

    /** The claim with its personal fields decrypted (or {@value #ERASED}). */
    public ClaimState reveal(ClaimState state) {
        if (state == null) {
            return null;
        }
        ObjectNode json = EventJson.toObjectNode(state);
        if (!contains(json)) {
            return state;
        }
        return EventJson.bind(reveal(state.claimId(), json), ClaimState.class, "claim");
    }

    /** The event with its personal fields decrypted (or {@value #ERASED}). */
    public EventEnvelope reveal(EventEnvelope event) {
        if (!contains(event.data())) {
            return event;
        }
        return new EventEnvelope(event.eventId(), event.eventType(), event.claimId(), event.timestamp(),
                reveal(event.claimId(), event.data()), event.version(), event.actor());
    }

    /** One value: a token decrypted (or {@value #ERASED}), anything else as it is. */
    public String reveal(String claimId, String value) {
        if (value == null || !isToken(value)) {
            return value;
        }
        return decrypt(claimId, value);
    }

    /**
     * The pseudonym of the claimant whose key encrypts the claim's personal data, from its e-mail token; null for a
     * claim without one (stored while encryption was off: its data stays as it was stored, and so do its new events).
     */
    public String claimantOf(ClaimState state) {
        if (state == null || state.claimantEmail() == null) {
            return null;
        }
        return PersonalDataTokens.claimantOf(state.claimantEmail()).orElse(null);
    }

    /** Whether the claimant's data keys are destroyed (their personal data reads {@value #ERASED}). */
    public boolean erased(String pseudonym) {
        return enabled && pseudonym != null && currentKey(pseudonym) == null;
    }

    /** Encrypts one value (an outbox message's address or text) under the claimant's current key; null if erased. */
    public String seal(String claimId, String field, String pseudonym, String value) {
        if (!enabled || value == null || value.isEmpty() || isToken(value)) {
            return value;
        }
        Cached key = currentKey(pseudonym);
        return key == null ? null : encrypt(value, claimId, field, pseudonym, key);
    }

    // ---------------------------------------------------------------- erasure and rotation

    /** What an erasure did: the data keys destroyed (0 when the claimant was erased already). */
    public record Erasure(String claimantId, int keysDestroyed, Instant erasedAt) {
    }

    /**
     * Destroys every data key of the claimant (crypto-shredding) and records it in the operations audit stream, in
     * one atomic step; empty when the hub has no keys for that pseudonym.
     */
    public Optional<Erasure> erase(String pseudonym, String who, String reason) {
        Instant at = clock.instant();
        List<String> args = new ArrayList<>(List.of(at.toString(), pseudonym));
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put(OpsAudit.AT, at.toString());
        audit.put(OpsAudit.WHO, who);
        audit.put(OpsAudit.ACTION, "erase-personal-data");
        audit.put(OpsAudit.TARGET, "claimant:" + pseudonym);
        audit.put(OpsAudit.REASON, reason == null ? "" : reason);
        audit.put(OpsAudit.DETAILS, "{}");
        audit.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        Long destroyed = redis.execute(ERASE, List.of(PersonalDataKeys.claimant(pseudonym),
                PersonalDataKeys.openClaims(pseudonym), PersonalDataKeys.RETENTION, OpsKeys.AUDIT), args.toArray());
        forget(pseudonym);
        if (destroyed == null || destroyed < 0) {
            return Optional.empty();
        }
        LOG.info("Personal data of claimant {} erased ({}): {} data key(s) destroyed", pseudonym, reason, destroyed);
        return Optional.of(new Erasure(pseudonym, destroyed.intValue(), at));
    }

    /** What a rotation did. */
    public record Rotation(String masterKeyId, int rewrapped, int current, int unknownMasterKey) {
    }

    /**
     * Rewraps every data key wrapped by another master key (the previous one) under the current one; a key wrapped
     * by a master key this hub does not have is counted and left. Safe to run again, and beside erasures.
     */
    public Rotation rotate(String who) {
        int rewrapped = 0;
        int alreadyCurrent = 0;
        int unknown = 0;
        try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(PersonalDataKeys.CLAIMANT_PATTERN)
                .count(500).build())) {
            while (cursor.hasNext()) {
                String keyName = cursor.next();
                String pseudonym = PersonalDataKeys.pseudonymOf(keyName);
                if (pseudonym == null) {
                    continue;
                }
                for (Map.Entry<Object, Object> entry : redis.opsForHash().entries(keyName).entrySet()) {
                    String field = entry.getKey().toString();
                    if (!field.startsWith("k:")) {
                        continue;
                    }
                    String wrapped = entry.getValue().toString();
                    String masterId = wrapped.substring(0, wrapped.indexOf(':'));
                    if (masterId.equals(masters.currentId())) {
                        alreadyCurrent++;
                        continue;
                    }
                    SecretKey master = masters.byId(masterId);
                    if (master == null) {
                        unknown++;
                        continue;
                    }
                    String kid = field.substring(2);
                    byte[] dataKey = unwrap(wrapped, pseudonym, kid);
                    Long done = redis.execute(REWRAP, List.of(keyName), field, wrapped, wrap(dataKey, pseudonym, kid));
                    if (done != null && done == 1) {
                        rewrapped++;
                    }
                }
            }
        }
        keys.clear();
        current.clear();
        Rotation rotation = new Rotation(masters.currentId(), rewrapped, alreadyCurrent, unknown);
        new OpsAudit(redis, clock).record(who, "rotate-master-key", "personal-data", "",
                Map.of("masterKeyId", rotation.masterKeyId(), "rewrapped", rewrapped, "alreadyCurrent",
                        alreadyCurrent, "unknownMasterKey", unknown));
        LOG.info("Master key rotation to {}: {} data key(s) rewrapped, {} already under it, {} under an unknown "
                + "master key", rotation.masterKeyId(), rewrapped, alreadyCurrent, unknown);
        return rotation;
    }

    // ---------------------------------------------------------------- keys

    /** A claimant's key to open: the claim being opened (null: none), and whether to create a key if there is none. */
    private record Opening(String pseudonym, String claimIdOrNull, boolean create) {
    }

    /**
     * The current keys of the claimants, in order (null for one without a key that was not to be created), each
     * created if it is to be and there is none: one script call. A new key's candidate is made for each, used only
     * where the claimant has none.
     */
    private List<Cached> open(List<Opening> openings) {
        if (openings.isEmpty()) {
            return List.of();
        }
        List<String> keyNames = new ArrayList<>(2 * openings.size());
        List<String> args = new ArrayList<>(1 + 4 * openings.size());
        byte[][] candidates = new byte[openings.size()][];
        String[] kids = new String[openings.size()];
        args.add(Long.toString(clock.millis()));
        for (int i = 0; i < openings.size(); i++) {
            Opening opening = openings.get(i);
            candidates[i] = new byte[32];
            RANDOM.nextBytes(candidates[i]);
            kids[i] = newKeyId();
            keyNames.add(PersonalDataKeys.claimant(opening.pseudonym()));
            keyNames.add(PersonalDataKeys.openClaims(opening.pseudonym()));
            args.add(opening.claimIdOrNull() == null ? "" : opening.claimIdOrNull());
            args.add(kids[i]);
            args.add(wrap(candidates[i], opening.pseudonym(), kids[i]));
            args.add(opening.create() ? "1" : "0");
        }
        List<Object> replies = redis.execute(OPEN, keyNames, args.toArray());
        if (replies == null || replies.size() != openings.size()) {
            throw new IllegalStateException("the data key script answered " + (replies == null ? "nothing" : replies.size()
                    + " replies") + " for " + openings.size() + " claimants");
        }
        List<Cached> opened = new ArrayList<>(openings.size());
        long until = System.currentTimeMillis() + CACHE_MILLIS;
        for (int i = 0; i < openings.size(); i++) {
            List<?> reply = (List<?>) replies.get(i);
            if (reply == null || reply.size() < 2) {
                opened.add(null);
                continue;
            }
            String pseudonym = openings.get(i).pseudonym();
            String gotKid = text(reply.get(0));
            Cached known = keys.get(pseudonym + "/" + gotKid);
            SecretKey key = gotKid.equals(kids[i]) ? new SecretKeySpec(candidates[i], "AES")
                    // a key made earlier in this call, or one already unwrapped: the same key under the same id
                    : known != null ? known.key()
                    : new SecretKeySpec(unwrap(text(reply.get(1)), pseudonym, gotKid), "AES");
            Cached cached = new Cached(gotKid, key, until);
            remember(current, pseudonym, cached);
            remember(keys, pseudonym + "/" + gotKid, cached);
            opened.add(cached);
        }
        return opened;
    }

    private static String text(Object raw) {
        return raw instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : raw.toString();
    }

    private Cached currentKey(String pseudonym) {
        Cached cached = current.get(pseudonym);
        if (cached != null && cached.until() > System.currentTimeMillis()) {
            return cached;
        }
        return open(List.of(new Opening(pseudonym, null, false))).get(0);
    }

    private SecretKey dataKey(String pseudonym, String kid) {
        String id = pseudonym + "/" + kid;
        Cached cached = keys.get(id);
        if (cached != null && cached.until() > System.currentTimeMillis()) {
            return cached.key();
        }
        Object wrapped = redis.opsForHash().get(PersonalDataKeys.claimant(pseudonym), "k:" + kid);
        if (wrapped == null) {
            keys.remove(id);
            return null;
        }
        SecretKey key = new SecretKeySpec(unwrap(wrapped.toString(), pseudonym, kid), "AES");
        remember(keys, id, new Cached(kid, key, System.currentTimeMillis() + CACHE_MILLIS));
        return key;
    }

    private void forget(String pseudonym) {
        current.remove(pseudonym);
        keys.keySet().removeIf(id -> id.startsWith(pseudonym + "/"));
    }

    private static void remember(Map<String, Cached> cache, String id, Cached value) {
        if (cache.size() >= CACHE_MAX) {
            cache.clear();
        }
        cache.put(id, value);
    }

    private String wrap(byte[] dataKey, String pseudonym, String kid) {
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, masters.current(), dataKey, aadOfKey(pseudonym, kid));
        return masters.currentId() + ":" + Base64.getEncoder().encodeToString(sealed);
    }

    private byte[] unwrap(String wrapped, String pseudonym, String kid) {
        int colon = wrapped.indexOf(':');
        String masterId = wrapped.substring(0, colon);
        SecretKey master = masters.byId(masterId);
        if (master == null) {
            throw new IllegalStateException("the data key of claimant " + pseudonym + " is wrapped by master key "
                    + masterId + ", which this hub is not given (current: " + masters.currentId()
                    + "); give it as hub.security.previous-master-key and rotate");
        }
        try {
            return gcm(Cipher.DECRYPT_MODE, master, Base64.getDecoder().decode(wrapped.substring(colon + 1)),
                    aadOfKey(pseudonym, kid));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the data key " + kid + " of claimant " + pseudonym
                    + " does not unwrap under master key " + masterId, e);
        }
    }

    private static byte[] aadOfKey(String pseudonym, String kid) {
        return ("claimshub-data-key|" + pseudonym + "|" + kid).getBytes(StandardCharsets.UTF_8);
    }

    private static String newKeyId() {
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    // ---------------------------------------------------------------- tokens

    private static String encrypt(String value, String claimId, String field, String pseudonym, Cached key) {
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key.key(), value.getBytes(StandardCharsets.UTF_8),
                aad(claimId, field, pseudonym, key.kid()));
        return PREFIX + field + ":" + pseudonym + ":" + key.kid() + ":"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    private String decrypt(String claimId, String token) {
        String[] parts = token.split(":", 5);
        if (parts.length != 5) {
            return UNREADABLE;
        }
        String field = parts[1];
        String pseudonym = parts[2];
        String kid = parts[3];
        SecretKey key = dataKey(pseudonym, kid);
        if (key == null) {
            return ERASED;
        }
        try {
            byte[] clear = gcm(Cipher.DECRYPT_MODE, key, Base64.getUrlDecoder().decode(parts[4]),
                    aad(claimId, field, pseudonym, kid));
            return new String(clear, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.warn("A personal data token of claim {} (field {}) does not decrypt: altered, or not this claim's",
                    claimId, field);
            return UNREADABLE;
        }
    }

    private static byte[] aad(String claimId, String field, String pseudonym, String kid) {
        return ("pd1|" + claimId + "|" + field + "|" + pseudonym + "|" + kid).getBytes(StandardCharsets.UTF_8);
    }

    /** AES-GCM; encrypting, a fresh 96-bit nonce is put in front of the output; decrypting, it is read from there. */
    private static byte[] gcm(int mode, SecretKey key, byte[] input, byte[] aad) {
        try {
            // a cipher per thread, initialised anew for each value: looking one up cost more than the encryption
            Cipher cipher = CIPHERS.get();
            if (mode == Cipher.ENCRYPT_MODE) {
                byte[] nonce = new byte[NONCE_BYTES];
                RANDOM.nextBytes(nonce);
                cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
                cipher.updateAAD(aad);
                byte[] out = new byte[NONCE_BYTES + cipher.getOutputSize(input.length)];
                System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
                cipher.doFinal(input, 0, input.length, out, NONCE_BYTES);
                return out;
            }
            if (input.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalStateException("ciphertext too short");
            }
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, input, 0, NONCE_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(input, NONCE_BYTES, input.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("authentication tag mismatch", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    static boolean isToken(String value) {
        return value.startsWith(PREFIX);
    }

    private static boolean contains(JsonNode json) {
        if (json.isTextual()) {
            return isToken(json.asText());
        }
        for (JsonNode child : json) {
            if (contains(child)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode revealed(String claimId, JsonNode json) {
        if (json.isTextual()) {
            return isToken(json.asText()) ? TextNode.valueOf(decrypt(claimId, json.asText())) : json;
        }
        if (json instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, revealed(claimId, object.get(name)));
            }
        } else if (json instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, revealed(claimId, array.get(i)));
            }
        }
        return json;
    }

    private static JsonNode node(JsonNode root, String path) {
        JsonNode at = root;
        for (String part : path.split("\\.")) {
            at = at.path(part);
        }
        return at;
    }
}
