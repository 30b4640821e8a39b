package io.actionlog.integrity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A C2SP tlog-checkpoint as a signed note: the body {@code <origin>\n<tree size>\n<base64 root hash>\n} (which
 * another signer may follow with extension lines; this server writes none), a blank line, and one signature line
 * {@code — <key name> <base64 of key id || Ed25519 signature>} per signer. Immutable.
 */
public record Checkpoint(String origin, long size, byte[] root, String note) {
    private static final String DASH = "\u2014 ";

    /** The body this server signs: a checkpoint's first three lines. */
    public static String body(String origin, long size, byte[] root) {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** Signs the tree head with {@code key}. */
    public static Checkpoint sign(SigningKey key, String origin, long size, byte[] root) {
        String body = body(origin, size, root);
        return new Checkpoint(origin, size, root.clone(), body + "\n" + signatureLine(key, body));
    }

    /**
     * This checkpoint with {@code key}'s signature after the ones it carries (a signed note may carry several, and a
     * verifier passes over the lines of keys it does not know): how a log's former key vouches for its next one.
     */
    public Checkpoint cosignedBy(SigningKey key) {
        return new Checkpoint(origin, size, root.clone(), note + signatureLine(key, note.substring(0,
                note.indexOf("\n\n") + 1)));
    }

    private static String signatureLine(SigningKey key, String body) {
        byte[] signature = key.sign(body.getBytes(StandardCharsets.UTF_8));
        return DASH + key.name() + " " + Base64.getEncoder().encodeToString(SigningKey.concat(key.keyId(), signature))
                + "\n";
    }

    /**
     * Reads a note; the exception names what does not parse. Signatures are checked by {@link #signedBy}. Extension
     * lines between the root hash and the blank line (tlog-checkpoint allows them; this server writes none) are part
     * of the signed text.
     */
    public static Checkpoint parse(String note) {
        String[] lines = note.split("\n", -1);
        int blank = 0;
        while (blank < lines.length && !lines[blank].isEmpty()) {
            blank++;
        }
        if (blank < 3 || lines.length < blank + 3 || !note.endsWith("\n")) {
            throw new IllegalArgumentException("not a signed checkpoint note");
        }
        // After the blank line, signature lines only: a second note glued on would otherwise pass unchecked.
        for (int i = blank + 1; i < lines.length - 1; i++) {
            if (!lines[i].startsWith(DASH)) {
                throw new IllegalArgumentException("not a signed checkpoint note: line " + (i + 1)
                        + " is not a signature line");
            }
        }
        // The size as the signed body writes it: digits, no sign, no leading zero, none of another script.
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("checkpoint's size is not a decimal number as a checkpoint writes it: "
                    + (lines[1].length() > 40 ? lines[1].substring(0, 40) + "…" : lines[1]));
        }
        long size;
        byte[] root;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint's size " + lines[1] + " is larger than a tree can be");
        }
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint's root hash is not base64: " + e.getMessage());
        }
        if (size < 0 || root.length != Merkle.HASH_BYTES) {
            throw new IllegalArgumentException("checkpoint's size or root hash is out of range");
        }
        return new Checkpoint(lines[0], size, root, note);
    }

    /** Whether a signature line of the note is a valid signature of its body by {@code key}. */
    public boolean signedBy(VerifierKey key) {
        int blank = note.indexOf("\n\n");
        if (blank < 0) {
            return false;
        }
        String body = note.substring(0, blank + 1);
        // The fields must be the note's own: a record built around another note would pass on that note's signature.
        if (!body.startsWith(body(origin, size, root))) {
            return false;
        }
        for (String line : note.substring(blank + 2).split("\n")) {
            String prefix = DASH + key.name() + " ";
            if (!line.startsWith(prefix)) {
                continue;
            }
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(line.substring(prefix.length()));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (sig.length == 68 && Arrays.equals(sig, 0, 4, key.keyId(), 0, 4)
                    && key.verifies(body.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(sig, 4, 68))) {
                return true;
            }
        }
        return false;
    }
}
