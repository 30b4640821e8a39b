package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-written JSON is byte for byte what the Jackson generator writes for the same values. */
class JsonBytesTest {

    private static String jackson(Json.Body body) {
        return Json.write(body).toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String mine(JsonBytes b) {
        return new String(b.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void everyCharacterIsEscapedOrCopiedAsTheGeneratorDoesIt() {
        List<String> strings = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            if (!Character.isSurrogate(c)) {
                all.append(c);
                strings.add(String.valueOf(c));
            }
        }
        strings.add(all.toString());
        strings.add("emoji \uD83D\uDE00 and \uD834\uDD1E, a pair each");
        strings.add("");
        strings.add("/api/v1/action/\"quoted\"\\path\u2028\u00e9");
        Random rnd = new Random(11);
        for (int i = 0; i < 2000; i++) {
            char[] cs = new char[rnd.nextInt(40)];
            for (int k = 0; k < cs.length; k++) {
                if (k + 1 < cs.length && rnd.nextInt(10) == 0) {
                    int beyond = 0x10000 + rnd.nextInt(0x100000);
                    cs[k++] = Character.highSurrogate(beyond);
                    cs[k] = Character.lowSurrogate(beyond);
                    continue;
                }
                int kind = rnd.nextInt(4);
                cs[k] = (char) (kind == 0 ? rnd.nextInt(0x20) : kind == 1 ? 0x20 + rnd.nextInt(0x60)
                        : kind == 2 ? 0x80 + rnd.nextInt(0x780) : 0x3000 + rnd.nextInt(0xA000));
            }
            strings.add(new String(cs));
        }
        for (String s : strings) {
            JsonBytes b = new JsonBytes(4);
            b.startArray().string(s).endArray();
            assertEquals(jackson(g -> {
                g.writeStartArray();
                g.writeString(s);
                g.writeEndArray();
            }), mine(b), () -> "for " + s.chars().mapToObj(Integer::toHexString).toList());
        }
    }

    @Test
    void objectsArraysNumbersAndLiteralsMatchTheGenerator() {
        long[] numbers = {0, 1, -1, 9, 10, 99, 100, 123_456_789, -987_654_321_012L, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE + 1, 1_000_000_000_000_000_000L, 999_999_999_999_999_999L};
        byte[] name = JsonBytes.key("na\"me\n");
        byte[] list = JsonBytes.key("list");
        JsonBytes b = new JsonBytes(8);
        b.startObject().field(name).string("v").field(list).startArray();
        for (long n : numbers) {
            b.number(n);
        }
        b.bool(true).bool(false).nothing().string(null).startObject().endObject().startArray().endArray()
                .rawValue("{\"k\":[1,2]}").endArray().endObject();
        assertEquals(jackson(g -> writeSame(g, numbers)), mine(b));
    }

    @Test
    void aFinishedDocumentBecomesTheResponseBodyAsItIs() {
        JsonBytes page = new JsonBytes(2).startArray();
        for (int i = 0; i < 2; i++) {
            page.startObject().field(JsonBytes.key("a")).number(1).endObject();
        }
        page.endArray();
        assertEquals("[{\"a\":1},{\"a\":1}]", page.toBuffer().toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void writeSame(JsonGenerator g, long[] numbers) throws IOException {
        g.writeStartObject();
        g.writeStringField("na\"me\n", "v");
        g.writeArrayFieldStart("list");
        for (long n : numbers) {
            g.writeNumber(n);
        }
        g.writeBoolean(true);
        g.writeBoolean(false);
        g.writeNull();
        g.writeNull();
        g.writeStartObject();
        g.writeEndObject();
        g.writeStartArray();
        g.writeEndArray();
        g.writeRawValue("{\"k\":[1,2]}");
        g.writeEndArray();
        g.writeEndObject();
    }

    @Test
    void aStringWrittenInEscapedPiecesIsTheStringWrittenWhole() {
        String[] pieces = {"line one\n", "\"quoted\" \\ tab\t", "", "ünïcode \uD83C\uDF89 \u0001", "end"};
        JsonBytes whole = new JsonBytes(8);
        whole.startArray().string(String.join("", pieces)).endArray();
        JsonBytes inPieces = new JsonBytes(8);
        inPieces.startArray().raw((byte) '"');
        for (String p : pieces) {
            byte[] utf8 = p.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            inPieces.escaped(utf8, 0, utf8.length);
        }
        inPieces.raw((byte) '"').endArray();
        assertEquals(mine(whole), mine(inPieces));
    }

    @Test
    void datesWrittenInPlaceAreThoseOfDates() {
        for (long micros : new long[] {0, 1, 1_767_225_600_000_000L, 1_767_225_600_123_456L, -86_400_000_001L,
                253_402_300_799_999_999L, 253_402_300_800_000_000L, -62_135_596_800_000_000L}) {
            JsonBytes b = new JsonBytes(4);
            b.startArray().rfc3339(micros).rfc3339(micros).endArray();
            String one = "\"" + io.actionlog.action.Dates.rfc3339(micros) + "\"";
            assertEquals("[" + one + "," + one + "]", mine(b), "at " + micros);
        }
    }
}
