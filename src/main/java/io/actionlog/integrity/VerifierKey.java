package io.actionlog.integrity;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A signed-note verifier key ({@code <name>+<hex key id>+<base64 of 0x01 || Ed25519 public key>}): what checks a
 * checkpoint's signature. Immutable.
 */
public record VerifierKey(String name, byte[] keyId, byte[] publicKey) {

    /**
     * Parses the text form; the exception says what is wrong with it, without the text, which the caller names as
     * it may show it (a file's may be a secret: a signing key file given by mistake).
     */
    public static VerifierKey parse(String text) {
        String[] parts = text.split("\\+", 3);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].length() != 8) {
            throw new IllegalArgumentException("not a verifier key (name+hex id+base64 key)");
        }
        byte[] id;
        byte[] key;
        try {
            id = HexFormat.of().parseHex(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a verifier key (its key id is not 8 hex digits)");
        }
        try {
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a verifier key (its key is not base64)");
        }
        if (key.length != 33 || key[0] != 1) {
            throw new IllegalArgumentException("not an Ed25519 verifier key");
        }
        byte[] raw = Arrays.copyOfRange(key, 1, 33);
        if (!Arrays.equals(id, SigningKey.keyId(parts[0], raw))) {
            throw new IllegalArgumentException("verifier key's id does not match its name and key");
        }
        return new VerifierKey(parts[0], id, raw);
    }

    /**
     * Whether {@code signature} is this key's Ed25519 signature of {@code message} (RFC 8032, as the JDK checks it).
     * Bouncy Castle's check, several times faster than the JDK's (docs/benchmarks.md): {@code verify} checks every
     * checkpoint of the log, one every 10 s of writes, which on a server whose writes trickle is most of its work.
     */
    public boolean verifies(byte[] message, byte[] signature) {
        return signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    }
}
