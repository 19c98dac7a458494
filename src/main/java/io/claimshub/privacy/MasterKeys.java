package io.claimshub.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master keys that wrap the claimants' data keys: the current one (new wraps) and, during a rotation, the
 * previous one (unwrap only). Each is 32 random bytes, given base64 in a setting or the environment, or in a key
 * file; its id is the first 8 hex digits of its SHA-256, stored with every wrapped key (the key itself never is).
 */
public final class MasterKeys {

    /** The quick start's key file, relative to the working directory. */
    public static final Path DEFAULT_FILE = Path.of("data", "keys", "master.key");

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);
    private static final int KEY_BYTES = 32;

    private final SecretKey current;
    private final String currentId;
    private final Map<String, SecretKey> byId = new LinkedHashMap<>();

    public MasterKeys(byte[] current, byte[] previousOrNull) {
        this.current = key(current, "hub.security.master-key");
        this.currentId = idOf(current);
        byId.put(currentId, this.current);
        if (previousOrNull != null) {
            byId.putIfAbsent(idOf(previousOrNull), key(previousOrNull, "hub.security.previous-master-key"));
        }
    }

    /**
     * The master keys as configured: the current one from {@code base64} (the setting or {@code HUB_MASTER_KEY}), else
     * from {@code file}; with neither, from {@link #DEFAULT_FILE}, generated there (mode 0600) on first start. The
     * previous one, if given, the same way (never generated).
     */
    public static MasterKeys configured(String base64, String file, String previousBase64, String previousFile) {
        byte[] current = given(base64, file, "hub.security.master-key");
        if (current == null) {
            current = quickStartKey(DEFAULT_FILE);
        }
        return new MasterKeys(current, given(previousBase64, previousFile, "hub.security.previous-master-key"));
    }

    public SecretKey current() {
        return current;
    }

    public String currentId() {
        return currentId;
    }

    /** The master key of that id, or null when it is neither the current nor the previous one. */
    public SecretKey byId(String id) {
        return byId.get(id);
    }

    /** 32 new random bytes, base64: what {@code openssl rand -base64 32} gives. */
    public static String newKeyBase64() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static String idOf(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] given(String base64, String file, String setting) {
        if (base64 != null && !base64.isBlank()) {
            return decode(base64, setting);
        }
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file.strip());
            try {
                return decode(Files.readString(path, StandardCharsets.US_ASCII), setting + "-file " + path);
            } catch (IOException e) {
                throw new IllegalStateException(setting + "-file " + path + " cannot be read: " + e.getMessage(), e);
            }
        }
        return null;
    }

    private static byte[] decode(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not base64 (e.g. openssl rand -base64 32)");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(where + " must be " + KEY_BYTES + " bytes (base64 of 32 random bytes, e.g."
                    + " openssl rand -base64 32); it is " + key.length);
        }
        return key;
    }

    /** Reads the quick-start key file, or creates it (0600) if there is none; two hubs starting at once agree. */
    static byte[] quickStartKey(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "master", ".tmp");
                try {
                    trySetOwnerOnly(temp);
                    Files.writeString(temp, newKeyBase64() + "\n", StandardCharsets.US_ASCII);
                    Files.move(temp, file);
                    LOG.warn("No master key configured (hub.security.master-key, HUB_MASTER_KEY or "
                            + "hub.security.master-key-file): generated one in {} (mode 0600). Keep a copy in a safe "
                            + "place: without it the personal data in Redis cannot be read", file.toAbsolutePath());
                } catch (FileAlreadyExistsException raced) {
                    // another hub created it first: use that one
                } finally {
                    Files.deleteIfExists(temp);
                }
            } else {
                LOG.info("Master key read from the quick-start key file {}", file.toAbsolutePath());
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII), "the key file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        }
    }

    private static void trySetOwnerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file inherits its folder's access list
        }
    }

    private static SecretKey key(byte[] bytes, String what) {
        if (bytes == null || bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(what + " must be " + KEY_BYTES + " bytes");
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
