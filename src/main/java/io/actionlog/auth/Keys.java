package io.actionlog.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Making, hashing and checking keys.
 *
 * <p>Keys are hashed with plain SHA-256, not a slow KDF such as bcrypt or PBKDF2. A slow KDF exists to make
 * guessing a low-entropy, human-chosen password expensive; our keys are 160 random bits (a preset admin key at
 * least ~96), which no amount of guessing reaches, so a KDF would add nothing but a deliberate delay to every
 * authenticated request.
 */
final class Keys {
    /** 20 random bytes as 40 lowercase hex characters, like Django REST framework tokens. */
    private static final int KEY_BYTES = 20;
    private static final Pattern PRESET = Pattern.compile("[A-Za-z0-9._~-]{16,}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    /** A hash of a key nobody holds: an unknown name is checked against it so it costs what a wrong key costs. */
    static final String DUMMY_HASH = hash(newKey());

    private Keys() {
    }

    static String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    static String hash(String key) {
        return HEX.formatHex(digest(key));
    }

    /** Constant-time: compares whole digests, so the time taken says nothing about how much of a key was right. */
    static boolean matches(String key, String expectedHash) {
        return MessageDigest.isEqual(digest(key), HEX.parseHex(expectedHash));
    }

    /**
     * Checks a key chosen by an operator (auth.admin_key, or an admin.key file). The message names where the key
     * came from but never echoes it: it is a secret, and error lines end up in logs.
     */
    static String checkPreset(String key, String source) {
        if (key == null || !PRESET.matcher(key).matches()) {
            throw new IllegalArgumentException(source + " must be at least 16 characters of A-Z a-z 0-9 . _ ~ -"
                    + " (the value given has " + (key == null ? 0 : key.length()) + " characters)");
        }
        return key;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
