package io.actionlog.cluster;

import io.actionlog.action.ActionData;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.action.StateChange;
import io.actionlog.store.WriteCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The bytes of a {@link WriteCommand} in the shared topic. The layout is versioned by its first byte, since a topic
 * outlives the build that wrote it: a node meeting a version it does not know stops applying rather than guess.
 * Strings are a length (-1 for null) and UTF-8 bytes; a list or set is a count and its items.
 */
final class CommandCodec {
    static final int VERSION = 1;

    private static final int RECORD = 1;
    private static final int CHANGE = 2;
    private static final int CANCEL = 3;
    private static final int APPEND_LOGS = 4;
    private static final int RETRY = 5;

    /** The bytes of a Record command before its actions: version, type, count. */
    static final int RECORD_BYTES = 1 + 1 + 4;

    private CommandCodec() {
    }

    /** The exact bytes {@code a} takes in a Record command, without encoding it. */
    static long size(NewAction a) {
        ActionData d = a.data();
        long n = 17 + 4 + 8 + 1 + (d.retryOf() == null ? 1 : 17) + 1 + 8 + 4;
        for (String s : new String[] {d.user(), d.action(), d.method(), d.path(), d.object(), d.ip(), d.location(),
                d.userAgent(), d.body(), d.recordedBy(), a.logs(), a.error(), a.metadata()}) {
            n += stringSize(s);
        }
        for (String parent : d.parents()) {
            n += stringSize(parent);
        }
        for (String field : a.supplied()) {
            n += stringSize(field);
        }
        return n;
    }

    private static long stringSize(String s) {
        if (s == null) {
            return 4;
        }
        long n = 4;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static byte[] encode(WriteCommand command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            if (command instanceof WriteCommand.Record r) {
                out.writeByte(RECORD);
                out.writeInt(r.actions().size());
                for (NewAction a : r.actions()) {
                    action(out, a);
                }
            } else if (command instanceof WriteCommand.Change c) {
                out.writeByte(CHANGE);
                out.writeLong(c.id());
                out.writeByte(c.change().state().code);
                string(out, c.change().error());
                string(out, c.change().metadata());
                out.writeLong(c.change().endDate());
                out.writeLong(c.at());
            } else if (command instanceof WriteCommand.Cancel c) {
                out.writeByte(CANCEL);
                out.writeLong(c.id());
                out.writeLong(c.at());
            } else if (command instanceof WriteCommand.AppendLogs a) {
                out.writeByte(APPEND_LOGS);
                out.writeLong(a.id());
                string(out, a.text());
                out.writeLong(a.at());
            } else {
                WriteCommand.Retry r = (WriteCommand.Retry) command;
                out.writeByte(RETRY);
                out.writeLong(r.id());
                string(out, r.recordedBy());
                uuid(out, r.uuid());
                out.writeLong(r.at());
                out.writeInt(r.maxRetries());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The command in these bytes; an {@link IllegalArgumentException} naming the problem if they are not one. */
    static WriteCommand decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("command format " + version + " is not known to this build (it reads "
                        + VERSION + "); upgrade this node");
            }
            int type = in.readUnsignedByte();
            WriteCommand command = switch (type) {
                case RECORD -> new WriteCommand.Record(actions(in, bytes.length));
                case CHANGE -> new WriteCommand.Change(in.readLong(), new StateChange(state(in),
                        string(in), string(in), in.readLong()), in.readLong());
                case CANCEL -> new WriteCommand.Cancel(in.readLong(), in.readLong());
                case APPEND_LOGS -> new WriteCommand.AppendLogs(in.readLong(), string(in), in.readLong());
                case RETRY -> new WriteCommand.Retry(in.readLong(), string(in), uuid(in), in.readLong(), in.readInt());
                default -> throw new IllegalArgumentException("unknown command type " + type);
            };
            if (in.available() != 0) {
                throw new IllegalArgumentException(in.available() + " bytes after the command");
            }
            return command;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated command: " + e.getMessage(), e);
        }
    }

    private static List<NewAction> actions(DataInputStream in, int limit) throws IOException {
        int n = count(in, limit);
        List<NewAction> actions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            actions.add(action(in, limit));
        }
        return actions;
    }

    private static void action(DataOutputStream out, NewAction a) throws IOException {
        ActionData d = a.data();
        uuid(out, d.uuid());
        string(out, d.user());
        string(out, d.action());
        string(out, d.method());
        string(out, d.path());
        string(out, d.object());
        out.writeInt(d.parents().size());
        for (String parent : d.parents()) {
            string(out, parent);
        }
        string(out, d.ip());
        string(out, d.location());
        string(out, d.userAgent());
        string(out, d.body());
        out.writeLong(d.startDate());
        out.writeBoolean(d.userAction());
        uuid(out, d.retryOf());
        string(out, d.recordedBy());
        out.writeByte(a.state().code);
        out.writeLong(a.endDate());
        string(out, a.logs());
        string(out, a.error());
        string(out, a.metadata());
        out.writeInt(a.supplied().size());
        for (String field : a.supplied()) {
            string(out, field);
        }
    }

    private static NewAction action(DataInputStream in, int limit) throws IOException {
        UUID uuid = uuid(in);
        String user = string(in);
        String action = string(in);
        String method = string(in);
        String path = string(in);
        String object = string(in);
        int parentCount = count(in, limit);
        List<String> parents = new ArrayList<>(parentCount);
        for (int i = 0; i < parentCount; i++) {
            parents.add(string(in));
        }
        ActionData data = new ActionData(uuid, user, action, method, path, object, List.copyOf(parents), string(in),
                string(in), string(in), string(in), in.readLong(), in.readBoolean(), uuid(in), string(in));
        State state = state(in);
        long endDate = in.readLong();
        String logs = string(in);
        String error = string(in);
        String metadata = string(in);
        int suppliedCount = count(in, limit);
        Set<String> supplied = new HashSet<>();
        for (int i = 0; i < suppliedCount; i++) {
            supplied.add(string(in));
        }
        return new NewAction(data, state, endDate, logs, error, metadata, Set.copyOf(supplied));
    }

    private static State state(DataInputStream in) throws IOException {
        int code = in.readByte();
        if (code < 0 || code >= State.values().length) {
            throw new IllegalArgumentException("unknown state code " + code);
        }
        return State.ofCode((byte) code);
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException("string of " + length + " bytes where " + in.available() + " are left");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** A count read before allocating for it: never more than the bytes could hold. */
    private static int count(DataInputStream in, int limit) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > limit) {
            throw new IllegalArgumentException("count " + n + " out of range");
        }
        return n;
    }

    private static void uuid(DataOutputStream out, UUID uuid) throws IOException {
        out.writeBoolean(uuid != null);
        if (uuid != null) {
            out.writeLong(uuid.getMostSignificantBits());
            out.writeLong(uuid.getLeastSignificantBits());
        }
    }

    private static UUID uuid(DataInputStream in) throws IOException {
        return in.readBoolean() ? new UUID(in.readLong(), in.readLong()) : null;
    }
}
