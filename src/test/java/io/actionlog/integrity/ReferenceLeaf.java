package io.actionlog.integrity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.actionlog.action.ActionData;
import io.actionlog.action.JsonCopy;
import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The leaf bytes as the README describes them, computed the plain way, to hold {@link LeafBytes} to: the entry as a
 * generic value (members as name-value pairs, lists, strings, numbers as their recorded text), metadata read by
 * Jackson's parser, members sorted by {@link String#compareTo} (UTF-16 order, stable for a repeated name), strings
 * escaped char by char as RFC 8785 asks, dates by {@code java.time}, and the whole text encoded by the JDK's UTF-8
 * encoder with an unpaired surrogate replaced by U+FFFD. Slow and obvious on purpose.
 */
final class ReferenceLeaf {
    private static final DateTimeFormatter RFC_3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** A number of recorded JSON, kept as the text it was recorded as. */
    private record RecordedNumber(String text) {
    }

    /** An object: its members in the order given; written sorted. */
    private record Members(List<Map.Entry<String, Object>> list) {
        Members add(String name, Object value) {
            list.add(new SimpleEntry<>(name, value));
            return this;
        }
    }

    private ReferenceLeaf() {
    }

    static byte[] of(Entry entry, UUID uuid) {
        Members m = new Members(new ArrayList<>()).add("id", entry.id());
        if (entry instanceof Entry.Created c) {
            ActionData d = c.data();
            m.add("type", "created").add("uuid", text(d.uuid())).add("action", d.action()).add("body", d.body())
                    .add("end_date", date(c.endDate())).add("error", c.error()).add("ip", d.ip())
                    .add("is_user_action", d.userAction()).add("location", d.location()).add("logs", c.logs())
                    .add("metadata", parse(c.metadata())).add("method", d.method()).add("object", d.object())
                    .add("parents", new ArrayList<Object>(d.parents())).add("path", d.path())
                    .add("recorded_by", d.recordedBy()).add("retry_of", text(d.retryOf()))
                    .add("start_date", date(d.startDate())).add("state", State.ofCode(c.state()).label)
                    .add("user", d.user()).add("user_agent", d.userAgent());
        } else if (entry instanceof Entry.StateChanged s) {
            m.add("type", "state").add("uuid", text(uuid)).add("at", date(s.at())).add("end_date", date(s.endDate()))
                    .add("error", s.error()).add("metadata", parse(s.metadata()))
                    .add("state", State.ofCode(s.state()).label);
        } else {
            Entry.LogAppended l = (Entry.LogAppended) entry;
            m.add("type", "log").add("uuid", text(uuid)).add("at", date(l.at())).add("logs", l.text());
        }
        StringBuilder out = new StringBuilder();
        write(out, m);
        return utf8(out);
    }

    private static String text(UUID u) {
        return u == null ? null : u.toString();
    }

    private static String date(long micros) {
        return micros == Entry.NO_TIME ? null : RFC_3339.format(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
    }

    private static Object parse(String json) {
        try (JsonParser p = JsonCopy.FACTORY.createParser(json)) {
            p.nextToken();
            return value(p);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Members m = new Members(new ArrayList<>());
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.add(name, value(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new RecordedNumber(p.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            default -> {
                return null;
            }
        }
    }

    private static void write(StringBuilder out, Object v) {
        if (v instanceof Members m) {
            List<Map.Entry<String, Object>> sorted = new ArrayList<>(m.list());
            sorted.sort(Map.Entry.comparingByKey(Comparator.naturalOrder())); // List.sort is stable
            out.append('{');
            for (int i = 0; i < sorted.size(); i++) {
                out.append(i == 0 ? "" : ",");
                quote(out, sorted.get(i).getKey());
                out.append(':');
                write(out, sorted.get(i).getValue());
            }
            out.append('}');
        } else if (v instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(out, list.get(i));
            }
            out.append(']');
        } else if (v instanceof String s) {
            quote(out, s);
        } else if (v instanceof RecordedNumber n) {
            out.append(n.text());
        } else {
            out.append(v); // null, a boolean, a long
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }

    private static byte[] utf8(CharSequence text) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD});
        try {
            ByteBuffer b = encoder.encode(CharBuffer.wrap(text));
            return Arrays.copyOf(b.array(), b.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
