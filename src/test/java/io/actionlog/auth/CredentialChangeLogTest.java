package io.actionlog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uuid a logged change is recorded under stays the same from its logging to its recording, across versions;
 * a damaged log is reported naming the file.
 */
class CredentialChangeLogTest {
    @TempDir
    Path dir;

    @Test
    void aChangeKeepsTheRandomUuidItWasLoggedWith() throws Exception {
        CredentialChangeLog log = new CredentialChangeLog(dir);
        log.append(CredentialChange.Op.ADD, "alice", Role.USER, null, CredentialChange.CLI);
        log.append(CredentialChange.Op.REMOVE, "alice", Role.USER, null, CredentialChange.CLI);
        List<CredentialChange> pending = log.read().pending();
        UUID first = pending.get(0).uuid();
        assertEquals(4, first.version(), "random, as the contract's server uuids");
        assertNotEquals(first, pending.get(1).uuid());
        assertEquals(first, new CredentialChangeLog(dir).read().pending().get(0).uuid(), "read again, the same");
    }

    @Test
    void aChangeLoggedBeforeUuidsWereKeptIsRecordedUnderTheOneItHadThen() throws Exception {
        UUID logId = UUID.fromString("5a0b7d1e-8f3c-4c2a-9d6e-1b2c3d4e5f60");
        Files.writeString(dir.resolve(CredentialChangeLog.FILE), "{\"log\":\"" + logId + "\",\"recorded\":6}\n"
                + "{\"seq\":7,\"time\":\"2026-12-01T10:00:00Z\",\"op\":\"add\",\"name\":\"bob\",\"role\":\"user\","
                + "\"by\":\"cli\"}\n");
        CredentialChange c = new CredentialChangeLog(dir).read().pending().get(0);
        // What the earlier version recorded it under, if it did before it stopped: recording it again repeats it.
        assertEquals(UUID.nameUUIDFromBytes(("actionlog credential change " + logId + " 7").getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), c.uuid());
    }

    @Test
    void aLogThatIsNotUtf8IsReportedAsCorruptNamingTheFile() throws Exception {
        Path file = dir.resolve(CredentialChangeLog.FILE);
        Files.write(file, new byte[] {'{', (byte) 0xff, '}', '\n'});
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> new CredentialChangeLog(dir).read());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not UTF-8"), e.getMessage());
    }
}
