package io.actionlog.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * One change of the credential store as the change log keeps it until the server has recorded it in the journal:
 * never the key nor its hash. {@code by} is who made it: {@link #CLI} or {@link #SERVER} (the bootstrap admin).
 * {@code previousRole} is set only when a rotation changed the role.
 *
 * @param log  the identity of the change log it came from; with {@code seq}, unique across logs and data directories
 * @param uuid the uuid the change is recorded under (see {@link #uuid()})
 */
public record CredentialChange(UUID log, long seq, Instant time, Op op, String name, Role role, Role previousRole,
                               String by, UUID uuid) {
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
     * The uuid the change is recorded under: drawn at random (v4, as the contract has the server's own uuids) when
     * the change is logged and kept in the log beside it, so recording it again after a crash before the log was
     * trimmed is an idempotent repeat, not a second action. A change logged by an earlier version, which kept no
     * uuid, is recorded under the name-based one it would have had then.
     */
    public static UUID earlierUuid(UUID log, long seq) {
        return UUID.nameUUIDFromBytes(("actionlog credential change " + log + " " + seq).getBytes(StandardCharsets.UTF_8));
    }

    /** "credential alice added by cli (role user)". */
    public String describe() {
        return "credential " + name + " " + op.done + " by " + by + " (role " + role.label()
                + (previousRole == null ? "" : ", was " + previousRole.label()) + ")";
    }
}
