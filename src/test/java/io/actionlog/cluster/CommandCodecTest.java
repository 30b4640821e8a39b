package io.actionlog.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionData;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.action.StateChange;
import io.actionlog.store.WriteCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The topic's command bytes: every command comes back as it went, and bytes that are not a command are refused. */
class CommandCodecTest {
    private static NewAction action(String body, UUID retryOf) {
        ActionData data = new ActionData(UUID.randomUUID(), "alice", "Volume Attach", "POST", "/api/v1/volume/",
                "/api/v1/volume/7/", List.of("/api/v1/project/1/", "/api/v1/org/2/"), "10.0.0.1", "Oslo", "curl/8",
                body, 1_764_720_000_123_456L, true, retryOf, "recorder");
        return new NewAction(data, State.IN_PROGRESS, Long.MIN_VALUE, "line 1\n", null, "{\"k\":1}",
                Set.of("uuid", "user"));
    }

    private static void roundTrip(WriteCommand command) {
        assertEquals(command, CommandCodec.decode(CommandCodec.encode(command)));
    }

    @Test
    void everyCommandComesBackAsItWent() {
        roundTrip(new WriteCommand.Record(List.of(action("{\"size\": 10}", null), action("ünïcødé 😀", UUID.randomUUID()))));
        roundTrip(new WriteCommand.Record(List.of()));
        roundTrip(new WriteCommand.Change(42, new StateChange(State.FAILED, "boom", null, Long.MIN_VALUE), 1_000_001));
        roundTrip(new WriteCommand.Change(42, new StateChange(State.SUCCESS, null, "{}", 1_764_720_000_000_000L), 5));
        roundTrip(new WriteCommand.Cancel(7, 99));
        roundTrip(new WriteCommand.AppendLogs(7, "more\nlines", 100));
        roundTrip(new WriteCommand.Retry(7, "alice", UUID.randomUUID(), 123, 10));
    }

    @Test
    void theSizeOfAnActionIsWhatItsBytesTake() {
        for (NewAction a : List.of(action("", null), action("ünïcødé 😀 and more", UUID.randomUUID()))) {
            int alone = CommandCodec.encode(new WriteCommand.Record(List.of(a))).length;
            assertEquals(alone - CommandCodec.RECORD_BYTES, CommandCodec.size(a));
        }
    }

    @Test
    void anUnknownFormatIsRefusedNamingIt() {
        byte[] bytes = CommandCodec.encode(new WriteCommand.Cancel(1, 2));
        bytes[0] = 9;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(bytes));
        assertTrue(e.getMessage().contains("command format 9"), e.getMessage());
    }

    /**
     * Cut bytes are refused; scrambled ones are refused or decode to some command (a changed letter is still a
     * letter), never fail otherwise nor allocate what a damaged count claims.
     */
    @Test
    void cutBytesAreRefusedAndScrambledOnesDecodeOrAreRefused() {
        byte[] good = CommandCodec.encode(new WriteCommand.Record(List.of(action("body", null))));
        for (int cut = 0; cut < good.length; cut++) {
            byte[] shorter = Arrays.copyOf(good, cut);
            assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(shorter), "cut at " + cut);
        }
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] scrambled = good.clone();
            scrambled[1 + random.nextInt(scrambled.length - 1)] ^= (byte) (1 + random.nextInt(255));
            try {
                assertNotNull(CommandCodec.decode(scrambled));
            } catch (IllegalArgumentException expected) {
                // refused: fine
            }
        }
    }
}
