package io.actionlog.integrity;

import io.actionlog.files.AtomicFiles;
import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The Ed25519 key that signs checkpoints, and its file ({@code <data>/integrity/signing.key} unless
 * {@code integrity.key_file} names another): two lines, the private key as C2SP signed-note tools write one
 * ({@code PRIVATE+KEY+<name>+<hex key id>+<base64 of 0x01 || seed>}) and the verifier key
 * ({@code <name>+<hex key id>+<base64 of 0x01 || public key>}). Created 0600 when missing; never rewritten.
 * The key id is the first four bytes of SHA-256(name || 0x0A || 0x01 || public key), as signed-note computes it.
 *
 * <p>Immutable once loaded; {@link #sign} is safe on any thread (each call has its own Signature).
 */
public final class SigningKey {
    private static final byte ED25519 = 1;
    // The DER prefixes of the JDK's encodings of Ed25519 keys (RFC 8410), before the 32 raw key bytes.
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String name;
    private final PrivateKey privateKey;
    private final byte[] publicKey;

    private SigningKey(String name, PrivateKey privateKey, byte[] publicKey) {
        this.name = name;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Loads the key from {@code file}, or creates one named {@code name} there when there is none. */
    public static SigningKey loadOrCreate(Path file, String name) throws IOException {
        if (!Files.exists(file)) {
            create(file, name);
        }
        SigningKey key = load(file);
        if (!key.name.equals(name)) {
            throw new IllegalStateException("key file " + file + " holds a key named \"" + key.name
                    + "\", but integrity.origin is \"" + name + "\"");
        }
        return key;
    }

    private static void create(Path file, String name) throws IOException {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] seed = tail(pair.getPrivate().getEncoded(), PKCS8_PREFIX);
            byte[] pub = tail(pair.getPublic().getEncoded(), X509_PREFIX);
            String id = HexFormat.of().formatHex(keyId(name, pub));
            String text = "PRIVATE+KEY+" + name + "+" + id + "+" + base64(ED25519, seed) + "\n"
                    + name + "+" + id + "+" + base64(ED25519, pub) + "\n";
            OwnerOnly.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.replace(file, text.getBytes(StandardCharsets.UTF_8), OwnerOnly.file());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make an Ed25519 key", e);
        }
    }

    /** Reads a key file; the message names what is wrong with it. */
    public static SigningKey load(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) { // the JDK's exception names no file
            throw new IllegalStateException("key file " + file + ": not UTF-8 text, so not a key file");
        }
        if (lines.size() < 2 || !lines.get(0).startsWith("PRIVATE+KEY+")) {
            throw new IllegalStateException("key file " + file + ": expected a PRIVATE+KEY line and a verifier key line");
        }
        String[] priv = lines.get(0).substring("PRIVATE+KEY+".length()).split("\\+", 3);
        VerifierKey verifier;
        try {
            verifier = VerifierKey.parse(lines.get(1).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("key file " + file + ": its second line: " + e.getMessage());
        }
        byte[] seed = priv.length == 3 ? Base64.getDecoder().decode(priv[2]) : new byte[0];
        if (seed.length != 33 || seed[0] != ED25519 || !priv[0].equals(verifier.name())) {
            throw new IllegalStateException("key file " + file + ": not an Ed25519 key pair of one name");
        }
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(
                    new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, Arrays.copyOfRange(seed, 1, 33))));
            SigningKey loaded = new SigningKey(verifier.name(), key, verifier.publicKey());
            byte[] probe = "actionlog key check".getBytes(StandardCharsets.US_ASCII);
            if (!verifier.verifies(probe, loaded.sign(probe))) {
                throw new IllegalStateException("key file " + file + ": the private and public keys do not belong together");
            }
            return loaded;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key file " + file + ": not an Ed25519 private key", e);
        }
    }

    public String name() {
        return name;
    }

    public byte[] keyId() {
        return keyId(name, publicKey);
    }

    /** The verifier key in signed-note text form. */
    public String verifierKey() {
        return name + "+" + HexFormat.of().formatHex(keyId()) + "+" + base64(ED25519, publicKey);
    }

    public VerifierKey verifier() {
        return new VerifierKey(name, keyId(), publicKey.clone());
    }

    /** The Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    static byte[] keyId(String name, byte[] publicKey) {
        var digest = Merkle.sha256();
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(ED25519);
        return Arrays.copyOf(digest.digest(publicKey), 4);
    }

    static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
    }

    private static String base64(byte type, byte[] key) {
        return Base64.getEncoder().encodeToString(concat(new byte[] {type}, key));
    }

    private static byte[] tail(byte[] encoded, byte[] prefix) {
        if (encoded.length != prefix.length + 32 || !Arrays.equals(encoded, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalStateException("unexpected Ed25519 key encoding from the JDK");
        }
        return Arrays.copyOfRange(encoded, prefix.length, encoded.length);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
