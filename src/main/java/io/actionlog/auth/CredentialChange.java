package io.actionlog.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * One change of the credential store as the change log keeps it until the server has recorded it in the journal:
 * never the key nor its hash. {@code by} is who made it: {@link #CLI} or {@link #SERVER} (the bootstrap admin).
 * {@code previousRole} is set only when a rotation changed the role.
 *
 * @param log the identity of the change log it came from; with {@code seq}, unique across logs and data directories
 */
public record CredentialChange(UUID log, long seq, Instant time, Op op, String name, Role role, Role previousRole,
                               String by) {
    /** Who made a change on the command line. */
    public static final String CLI = "cli";
    /** Who made the bootstrap admin credential when a server started on a fresh data directory. */
    public static final String SERVER = "actionlog";
    /**
     * The names recorded as an audit action's user; no credential may have one, since a {@code user} credential
     * reads the actions whose user is its own name.
     */
    public static final Set<String> RESERVED_NAMES = Set.of(CLI, SERVER);

    public enum Op {
        ADD("Credential Add", "added"),
        ROTATE("Credential Rotate", "rotated"),
        REMOVE("Credential Remove", "removed");

        /** The action name under which the change is recorded. */
        public final String action;
        /** The word for the log line. */
        public final String done;

        Op(String action, String done) {
            this.action = action;
            this.done = done;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Op parse(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The uuid the change is recorded under: the same for every attempt, so recording it again after a crash
     * before the log was trimmed is an idempotent repeat, not a second action. Drawn from a SHA-256 of the change's
     * place and marked version 4, as the contract has the server's own uuids (v4 or v7), not the name-based v3.
     */
    public UUID uuid() {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(("actionlog credential change " + log + " "
                    + seq).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
        h[6] = (byte) (h[6] & 0x0f | 0x40);
        h[8] = (byte) (h[8] & 0x3f | 0x80);
        return new UUID(ByteBuffer.wrap(h, 0, 8).getLong(), ByteBuffer.wrap(h, 8, 8).getLong());
    }

    /** "credential alice added by cli (role user)". */
    public String describe() {
        return "credential " + name + " " + op.done + " by " + by + " (role " + role.label()
                + (previousRole == null ? "" : ", was " + previousRole.label()) + ")";
    }
}
