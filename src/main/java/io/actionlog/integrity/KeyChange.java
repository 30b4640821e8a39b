package io.actionlog.integrity;

import io.actionlog.config.Config;
import io.actionlog.files.AtomicFiles;
import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;

/**
 * A new checkpoint signing key for a stopped server's log ({@code actionlog integrity new-key}): a key due for
 * replacement, or one that may have been seen. The log's checkpoints (and where their sizes fell) and the former
 * verifier key move to {@code integrity/former-<key id>/}; the new log starts with the former latest checkpoint signed
 * by the new key and the former one, so that an auditor who trusts the former key can check that the new one vouches
 * for the same history, and go on from there with the new key. The former private key is replaced, not kept.
 *
 * <p>Each step leaves a directory a server starts on: until the key file is replaced, last, the former key still
 * signs, and the new log's only checkpoint carries its signature too.
 */
public final class KeyChange {
    /** The new verifier key, where the former log went, and the checkpoint both keys signed (null: none to sign). */
    public record Result(String verifierKey, Path former, Checkpoint handover) {
    }

    private KeyChange() {
    }

    public static Result run(Config config) throws IOException {
        Path keyFile = config.keyFile();
        String origin = config.integrity().origin();
        if (Files.notExists(keyFile)) {
            throw new IllegalStateException("no signing key at " + keyFile + ": nothing to replace (a first start "
                    + "makes one)");
        }
        SigningKey formerKey = Integrity.signingKey(config);
        Path log = Integrity.checkpointFile(config.dataDir());
        Path falls = log.resolveSibling(log.getFileName() + ".falls");
        Checkpoint latest = latest(log, origin, formerKey);

        Path fresh = keyFile.resolveSibling(keyFile.getFileName() + ".new");
        Files.deleteIfExists(fresh); // a change stopped before its end: that key signed nothing
        SigningKey next = SigningKey.loadOrCreate(fresh, origin);
        Path former = formerDir(log.getParent(), formerKey);
        OwnerOnly.createDirectories(former);
        AtomicFiles.replace(former.resolve("verifier.key"),
                (formerKey.verifierKey() + "\n").getBytes(StandardCharsets.UTF_8));
        Checkpoint handover = latest == null ? null
                : Checkpoint.sign(next, origin, latest.size(), latest.root()).cosignedBy(formerKey);
        if (handover != null) {
            AtomicFiles.replace(former.resolve("handover.checkpoint"), handover.note().getBytes(StandardCharsets.UTF_8));
        }
        moveIfThere(log, former.resolve(log.getFileName()));
        moveIfThere(falls, former.resolve(falls.getFileName()));
        if (handover != null) {
            AtomicFiles.replace(log, (handover.note() + "\n").getBytes(StandardCharsets.UTF_8), OwnerOnly.file());
        }
        Files.move(fresh, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Result(next.verifierKey(), former, handover);
    }

    /**
     * The log's latest checkpoint, which the new key will sign too: so it must be the former key's, and the log
     * whole (a new key must not vouch for what the former one never signed).
     */
    private static Checkpoint latest(Path log, String origin, SigningKey key) throws IOException {
        if (Files.notExists(log)) {
            return null;
        }
        try (CheckpointLog read = CheckpointLog.openReadOnly(log, origin)) {
            if (read.damage() != null) {
                throw new IllegalStateException(read.damage() + ": the key was not replaced; verify names the damage");
            }
            Checkpoint latest = read.latest();
            if (latest != null && !latest.signedBy(key.verifier())) {
                throw new IllegalStateException("the latest checkpoint in " + log + ", of size " + latest.size()
                        + ", does not verify with the signing key " + key.verifierKey() + ": the key was not replaced, "
                        + "since the new one would vouch for it; verify names the damage");
            }
            return latest;
        }
    }

    /** {@code former-<key id>}, or with a number after it when a change stopped before its end left one. */
    private static Path formerDir(Path integrity, SigningKey key) {
        String name = "former-" + HexFormat.of().formatHex(key.keyId());
        Path dir = integrity.resolve(name);
        for (int n = 2; Files.exists(dir); n++) {
            dir = integrity.resolve(name + "-" + n);
        }
        return dir;
    }

    private static void moveIfThere(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
