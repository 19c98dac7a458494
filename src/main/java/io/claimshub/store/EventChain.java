package io.claimshub.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash chain over each claim's stream (docs/security-chain.md). Every entry of {@code claim:{CLM-...}:events}
 * carries, as its last field {@value #FIELD}, an HMAC-SHA1 over the previous entry's hash and every field the entry
 * has before it, in stored order:
 * <pre>
 *   message = previousHash '\n' ( len(name) ':' name len(value) ':' value )*     (lengths in UTF-8 bytes)
 *   hash    = hex( HMAC-SHA1( claimKey, message ) )                              (previousHash '' at version 1)
 *   claimKey = HMAC-SHA512( hub.chain.secret, "claims-hub chain\n" + claimId ), each byte's low 6 bits
 * </pre>
 * The append script ({@code append-event.lua}) computes it in Redis, atomically with the version check, from the HMAC
 * pads of the claim's key that the hub passes with each call; the hub's key never reaches Redis. A bulk submission
 * ({@code submit-remembered.lua}) is only ever its claim's first entry: the hub links it itself ({@link #firstLink}). Without {@code hub.chain.secret} the key is a public constant: the chain then shows edits made without
 * recomputing it, not a forger who recomputes it.
 */
public final class EventChain {

    /** The entry field holding the entry's link. */
    public static final String FIELD = "chainHash";

    /** Shortest configured key accepted; {@code openssl rand -base64 32} gives 44 characters. */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final byte[] PUBLIC_KEY = "claims-hub public chain key (hub.chain.secret not set)"
            .getBytes(StandardCharsets.UTF_8);
    private static final HexFormat HEX = HexFormat.of();
    private static final int BLOCK = 64;

    // a MAC per thread: looking one up cost more than the hash; the claim keys' is keyed once, by the chain's key
    private static final ThreadLocal<Mac> LINKS = ThreadLocal.withInitial(() -> mac("HmacSHA1"));

    private final byte[] key;
    private final boolean keyed;
    private final ThreadLocal<Mac> claimKeys;
    private boolean off;

    private EventChain(byte[] key, boolean keyed) {
        this.key = key;
        this.keyed = keyed;
        this.claimKeys = ThreadLocal.withInitial(() -> {
            Mac mac = mac("HmacSHA512");
            init(mac, key);
            return mac;
        });
    }

    /** The chain under the public key: shows edits that did not recompute the chain. */
    public static EventChain unkeyed() {
        return new EventChain(PUBLIC_KEY, false);
    }

    /** The chain under {@code hub.chain.secret} when it is set, else {@link #unkeyed()}. */
    public static EventChain configured(String key) {
        if (key == null || key.isBlank()) {
            return unkeyed();
        }
        if (key.strip().length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("hub.chain.secret must have at least " + MIN_SECRET_LENGTH
                    + " characters (e.g. openssl rand -base64 32)");
        }
        return new EventChain(key.strip().getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * For benchmarks only (the chain's cost against none, in one run): appends write no {@value #FIELD}, so their
     * claims no longer verify. No setting reaches it.
     */
    public static EventChain offForBenchmarks() {
        EventChain none = new EventChain(PUBLIC_KEY, false);
        none.off = true;
        return none;
    }

    public boolean keyed() {
        return keyed;
    }

    /**
     * The claim's own HMAC key: 64 bytes (one SHA-1 block, so HMAC uses it as it is) of 6 bits each (384 bits), from
     * HMAC-SHA512 of the claim id under the secret. Bytes below 0x40 make both HMAC pads ASCII, so the script gets
     * them as they are (script arguments travel as UTF-8) with nothing to decode. Knowing one claim key (e.g. from a
     * MONITOR of Redis) lets one forge that claim's chain only.
     */
    byte[] claimKey(String claimId) {
        byte[] derived = claimKeys.get().doFinal(("claims-hub chain\n" + claimId).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < derived.length; i++) {
            derived[i] &= 0x3f;
        }
        return derived;
    }

    /**
     * The two script arguments of a claim's appends: the claim key XOR the HMAC ipad and XOR the opad (RFC 2104),
     * 64 ASCII characters each, so the script computes the HMAC with two {@code redis.sha1hex} calls.
     */
    List<String> scriptPads(String claimId) {
        if (off) {
            return List.of("", "");
        }
        byte[] claimKey = claimKey(claimId);
        byte[] inner = new byte[BLOCK];
        byte[] outer = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            inner[i] = (byte) (claimKey[i] ^ 0x36);
            outer[i] = (byte) (claimKey[i] ^ 0x5c);
        }
        return List.of(new String(inner, StandardCharsets.US_ASCII), new String(outer, StandardCharsets.US_ASCII));
    }

    /** The link of an entry: its fields (name/value pairs in stored order, without {@value #FIELD}) after {@code previousHash}. */
    public String link(String claimId, String previousHash, List<Map.Entry<String, String>> fields) {
        List<byte[]> flat = new ArrayList<>(2 * fields.size());
        for (Map.Entry<String, String> field : fields) {
            flat.add(field.getKey().getBytes(StandardCharsets.UTF_8));
            flat.add(field.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return linkOf(claimId, previousHash, flat);
    }

    /**
     * The link of a claim's first entry (previous hash {@code ""}), whose names and values, in stored order, are
     * {@code fields} as UTF-8 (the bytes the append sends); {@code ""} when the chain is off (benchmarks only). A bulk
     * submission is always its claim's first entry, so the hub links it itself, with nothing to read.
     */
    String firstLink(String claimId, List<byte[]> fields) {
        return off ? "" : linkOf(claimId, "", fields);
    }

    // message = previousHash '\n' ( len(name) ':' name len(value) ':' value )*, lengths in UTF-8 bytes
    private String linkOf(String claimId, String previousHash, List<byte[]> fields) {
        Mac mac = LINKS.get();
        init(mac, claimKey(claimId));
        mac.update(previousHash.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '\n');
        for (byte[] field : fields) {
            mac.update(Integer.toString(field.length).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) ':');
            mac.update(field);
        }
        return HEX.formatHex(mac.doFinal());
    }

    /** One entry of a claim's stream as stored: its id and its field/value pairs in order (duplicates kept). */
    public record RawEntry(String entryId, List<Map.Entry<String, String>> fields) {
    }

    /**
     * The chain's check of a claim's stream.
     *
     * @param events          entries in the stream
     * @param unchainedBefore when the first entries carry no link (written before the chain existed): the version of
     *                        the first one that does ({@code events + 1} when none does), else 0
     * @param firstBrokenVersion 0 when valid
     */
    public record Verification(String claimId, boolean valid, int events, long unchainedBefore,
                               long firstBrokenVersion, String firstBrokenEntryId, String reason, String head) {
    }

    /** Recomputes the chain over the claim's entries, in stream order, and names the first link that does not hold. */
    public Verification verify(String claimId, List<RawEntry> entries) {
        String previous = "";
        long unchainedBefore = 0;
        boolean chained = false;
        for (int i = 0; i < entries.size(); i++) {
            long version = i + 1;
            RawEntry entry = entries.get(i);
            List<Map.Entry<String, String>> fields = entry.fields();
            int at = -1;
            for (int f = 0; f < fields.size(); f++) {
                if (FIELD.equals(fields.get(f).getKey())) {
                    at = f;
                    break;
                }
            }
            if (at < 0) {
                if (chained) {
                    return broken(claimId, entries.size(), unchainedBefore, version, entry, "the entry has no "
                            + FIELD + " although the one before it has");
                }
                unchainedBefore = version + 1;
                continue;
            }
            chained = true;
            if (at != fields.size() - 1) {
                return broken(claimId, entries.size(), unchainedBefore, version, entry,
                        "fields follow " + FIELD + ": the entry was rewritten");
            }
            String stored = fields.get(at).getValue();
            String expected = link(claimId, previous, fields.subList(0, at));
            if (!MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                    expected.getBytes(StandardCharsets.US_ASCII))) {
                return broken(claimId, entries.size(), unchainedBefore, version, entry, previous.isEmpty() && version > 1
                        ? "the hash does not match the entry's content (its chain starts here)"
                        : "the hash does not match the entry's content and the previous entry's hash");
            }
            previous = stored;
        }
        return new Verification(claimId, true, entries.size(), unchainedBefore, 0, null, null,
                previous.isEmpty() ? null : previous);
    }

    private static Verification broken(String claimId, int events, long unchainedBefore, long version, RawEntry entry,
                                       String reason) {
        return new Verification(claimId, false, events, unchainedBefore, version, entry.entryId(), reason, null);
    }

    private static Mac mac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    private static void init(Mac mac, byte[] key) {
        try {
            mac.init(new SecretKeySpec(key, mac.getAlgorithm()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mac.getAlgorithm() + " refused its key", e);
        }
    }

    static List<Map.Entry<String, String>> pairs(List<?> flat) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            pairs.add(Map.entry(ClaimEventStore.string(flat.get(i)), ClaimEventStore.string(flat.get(i + 1))));
        }
        return pairs;
    }
}
