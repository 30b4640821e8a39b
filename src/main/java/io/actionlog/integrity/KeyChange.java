package io.actionlog.integrity;

import io.actionlog.config.Config;
import io.actionlog.files.AtomicFiles;
import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A new checkpoint signing key for a stopped server's log ({@code actionlog integrity new-key}): a key due for
 * replacement, or one that may have been seen. The log's checkpoints (and where their sizes fell) and the former
 * verifier key move to {@code integrity/former-<key id>/}; the new log starts with the former latest checkpoint signed
 * by the new key and the former one, so that an auditor who trusts the former key can check that the new one vouches
 * for the same history, and go on from there with the new key. The former private key is replaced, not kept.
 *
 * <p>A change stopped at any point (the process killed) leaves a directory a server starts on, the former log whole
 * under a name of its own, and a next run that ends the change. The former directory is filled under the name
 * {@code former-<key id>.partial}: the former log and falls as second names of the live files (a copy where the file
 * system has no hard links), the handover signed by the new key ({@code <key file>.new}, kept for a next run). Replacing
 * the live log with the handover, by a rename, is the point of no return: before it the live files are as they were
 * and a next run removes what is partial; after it, a next run finds the live log starting with that handover, keeps
 * the directory and ends the change. The key file is replaced last; until then the former key still signs, and the
 * new log's only checkpoint carries its signature too. A key file that is a symbolic link is replaced where it points:
 * the former private key is gone, and the link stays.
 */
public final class KeyChange {
    /** The new verifier key, where the former log went, and the checkpoint both keys signed (null: none to sign). */
    public record Result(String verifierKey, Path former, Checkpoint handover) {
    }

    private static final String PARTIAL = ".partial";
    private static final String HANDOVER = "handover.checkpoint";

    private KeyChange() {
    }

    public static Result run(Config config) throws IOException {
        return run(config, () -> { });
    }

    /** As {@link #run(Config)}, calling {@code beforeEachStep} before each change on disk: tests stop it there. */
    static Result run(Config config, Runnable beforeEachStep) throws IOException {
        Path log = Integrity.checkpointFile(config.dataDir());
        Path falls = log.resolveSibling(log.getFileName() + ".falls");
        if (Files.notExists(config.keyFile())) {
            // A start makes a key only for an empty log: it refuses one whose checkpoints a lost key signed.
            throw new IllegalStateException("no signing key at " + config.keyFile() + (Files.exists(log)
                    && Files.size(log) > 0 ? ", but the checkpoint log holds checkpoints signed with a key: a lost key "
                    + "cannot sign a handover. Set integrity.key_file to the key that signed them, or, if it is lost, "
                    + "move " + log + " and " + falls + " aside (keep them) and start the server, which makes a new key "
                    + "and a new log" : ": nothing to replace (a first start makes one)"));
        }
        Path keyFile = config.keyFile().toRealPath();
        String origin = config.integrity().origin();
        SigningKey formerKey = Integrity.signingKey(config);
        Checkpoint latest = latest(log, origin, formerKey);
        Path fresh = keyFile.resolveSibling(keyFile.getFileName() + ".new");
        Path partial = log.resolveSibling("former-" + HexFormat.of().formatHex(formerKey.keyId()) + PARTIAL);

        beforeEachStep.run();
        SigningKey next = SigningKey.loadOrCreate(fresh, origin); // a stopped change's, when it made one
        Path former = null;
        if (Files.exists(partial) && startsWithHandover(log, partial)) {
            former = named(partial, falls, beforeEachStep); // the log was replaced: the directory holds the only copy
        } else {
            beforeEachStep.run();
            removeTree(partial); // the live files are as they were
        }
        if (latest != null && latest.signedBy(next.verifier())) {
            former = former != null ? former : setAsideBefore(log.getParent(), latest);
        } else {
            Checkpoint handover = setAside(formerKey, next, latest, log, falls, partial, beforeEachStep);
            beforeEachStep.run();
            if (handover != null) {
                AtomicFiles.replace(log, (handover.note() + "\n").getBytes(StandardCharsets.UTF_8), OwnerOnly.file());
            } else {
                Files.deleteIfExists(log); // without a checkpoint: set aside as it is, and a start makes another
            }
            former = named(partial, falls, beforeEachStep);
            latest = handover;
        }
        beforeEachStep.run();
        Files.move(fresh, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Result(next.verifierKey(), former, latest);
    }

    /**
     * Once the log is replaced: the live falls removed (a second name of the former ones, which a start would append
     * to) and the directory given its name.
     */
    private static Path named(Path partial, Path falls, Runnable beforeEachStep) throws IOException {
        beforeEachStep.run();
        Files.deleteIfExists(falls);
        Path former = freeName(partial.getParent(), partial.getFileName().toString().replace(PARTIAL, ""));
        beforeEachStep.run();
        Files.move(partial, former, StandardCopyOption.ATOMIC_MOVE);
        return former;
    }

    /** Whether the live log starts with the handover in {@code partial}: a change stopped after it replaced the log. */
    private static boolean startsWithHandover(Path log, Path partial) throws IOException {
        Path note = partial.resolve(HANDOVER);
        if (!Files.isRegularFile(note) || !Files.isRegularFile(log)) {
            return false;
        }
        byte[] handover = (Files.readString(note) + "\n").getBytes(StandardCharsets.UTF_8);
        try (InputStream in = Files.newInputStream(log)) {
            return Arrays.equals(in.readNBytes(handover.length), handover);
        }
    }

    /** Fills {@code partial}: the former verifier key, the handover (null: no checkpoint), the log and falls. */
    private static Checkpoint setAside(SigningKey formerKey, SigningKey next, Checkpoint latest, Path log, Path falls,
                                       Path partial, Runnable beforeEachStep) throws IOException {
        beforeEachStep.run();
        OwnerOnly.createDirectories(partial);
        beforeEachStep.run();
        AtomicFiles.replace(partial.resolve("verifier.key"),
                (formerKey.verifierKey() + "\n").getBytes(StandardCharsets.UTF_8), OwnerOnly.file());
        Checkpoint handover = null;
        if (latest != null) {
            handover = Checkpoint.sign(next, latest.origin(), latest.size(), latest.root()).cosignedBy(formerKey);
            beforeEachStep.run();
            AtomicFiles.replace(partial.resolve(HANDOVER), handover.note().getBytes(StandardCharsets.UTF_8),
                    OwnerOnly.file());
        }
        beforeEachStep.run();
        keep(log, partial.resolve(log.getFileName()));
        beforeEachStep.run();
        keep(falls, partial.resolve(falls.getFileName()));
        return handover;
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
                // A start cuts such a tail, keeping its bytes beside the log; the new key must not sign past it.
                throw new IllegalStateException(read.damage() + ". The key was not replaced: start the server once "
                        + "(it cuts what follows the last whole checkpoint, keeping the bytes beside the log), stop it, "
                        + "and run integrity new-key again");
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

    /** {@code former-<key id>}, or with a number after it when an earlier change of the same key left one. */
    private static Path freeName(Path integrity, String name) {
        Path dir = integrity.resolve(name);
        for (int n = 2; Files.exists(dir); n++) {
            dir = integrity.resolve(name + "-" + n);
        }
        return dir;
    }

    /**
     * The former directory a change stopped after naming it, before replacing the key file: the one whose handover is
     * the log's latest checkpoint.
     */
    private static Path setAsideBefore(Path integrity, Checkpoint handover) throws IOException {
        try (Stream<Path> all = Files.list(integrity)) {
            for (Path dir : all.filter(p -> p.getFileName().toString().startsWith("former-")).toList()) {
                Path note = dir.resolve(HANDOVER);
                if (handover != null && Files.isRegularFile(note) && Files.readString(note).equals(handover.note())) {
                    return dir;
                }
            }
        }
        throw new IllegalStateException("the checkpoint log " + integrity.resolve("checkpoints") + " starts with a "
                + "handover to the key in " + integrity + ", but no former-<key id> directory holds it");
    }

    /** A second name for {@code from}, or where the file system has none, a copy on disk; nothing when it is missing. */
    private static void keep(Path from, Path to) throws IOException {
        if (Files.notExists(from)) {
            return;
        }
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(from, to);
            try (FileChannel copy = FileChannel.open(to, StandardOpenOption.WRITE)) {
                copy.force(true);
            }
        }
    }

    /** Removes what a change stopped before replacing the log left (second names, a copy, a key's note). */
    private static void removeTree(Path dir) throws IOException {
        if (Files.notExists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
