package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.JsonValue;
import io.actionlog.action.Members;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A request object is read member by member; containers are kept as compact text, numbers as sent. */
class JsonMembersTest {

    private static Members read(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return Json.members(bytes, 0, bytes.length);
    }

    @Test
    void readsEachMemberAsItsKindAndText() {
        Members m = read(" { \"a\" : \"x\\n\", \"b\":true,\"c\":false,\"d\":null,\"e\":-2.50,"
                + "\"m\" : { \"k\" : [ 1, {\"z\":null} ], \"s\":\"\\u00e9\" }, \"l\":[], \"o\":{}, \"p\":[\"a\",\"b\"],"
                + "\"q\":[\"a\",1]}");
        assertEquals(List.of("a=STRING:x\n", "b=BOOLEAN:true", "c=BOOLEAN:false", "d=NULL:null", "e=NUMBER:-2.50",
                "m=OBJECT:{\"k\":[1,{\"z\":null}],\"s\":\"\u00e9\"}", "l=ARRAY:[]", "o=OBJECT:{}",
                "p=ARRAY:[\"a\",\"b\"]", "q=ARRAY:[\"a\",1]"), contents(m));
        assertEquals(List.of("a", "b"), m.get("p").strings());
        assertNull(m.get("q").strings(), "not a list of strings");
        assertEquals(2, m.get("q").size());
        assertEquals(2, m.get("m").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e2147483648", "1e400", "0.1000000000000000055511151231257827", "-0", "1E+2", "1.50",
            "123456789012345678901234567890"})
    void keepsEveryNumberAsSent(String number) {
        Members m = read("{\"n\":" + number + ",\"o\":{\"n\":" + number + "},\"l\":[" + number + "]}");
        assertEquals(number, m.get("n").text());
        assertEquals("{\"n\":" + number + "}", m.get("o").text());
        assertEquals("[" + number + "]", m.get("l").text());
    }

    @Test
    void keepsANumberOfAnyLength() {
        String digits = "9".repeat(100_000);
        assertEquals(digits, read("{\"n\":" + digits + "}").get("n").text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "12", "null", "true", " "})
    void givesNoMembersForAnotherJsonValue(String json) {
        assertNull(read(json));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,\"a\":2}|Duplicate field 'a'",
            "{\"a\":{\"b\":1,\"b\":1}}|Duplicate field 'b'",
            "{\"p\":[\"a\",{\"x\":1,\"x\":2}]}|Duplicate field 'x'",
            "{\"a\":1} {\"b\":2}|more than one value",
            "{\"a\":1} x|Unrecognized token 'x'",
            "{\"a\":1|Unexpected end-of-input",
            "{\"a\" 1}|Unexpected character",
            "{a:1}|Unexpected character",
            "{\"a\":[1,}|Unexpected character",
            "{\"a\":\"\\x\"}|Unrecognized character escape",
            "[1,|Unexpected end-of-input",
            "{\"a\":01}|Invalid numeric value",
            "{\"a\":1,}|Unexpected character",
            "{\"p\":[\"a\"}|Unexpected close marker",
            "{\"a\":NaN}|Non-standard token 'NaN'",
    })
    void refusesWhatIsNotOneJsonDocument(String json, String problem) {
        HttpError e = assertThrows(HttpError.class, () -> read(json));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("body: not valid JSON (") && e.getMessage().contains(problem),
                e.getMessage());
    }

    @Test
    void aWideObjectIsReadWithEveryNameChecked() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 50_000; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
        }
        Members m = read(json + "}");
        assertEquals(50_000, m.names().size());
        assertEquals("0", m.get("k49999").text());
        HttpError e = assertThrows(HttpError.class, () -> read(json + ",\"k777\":1}"));
        assertTrue(e.getMessage().contains("Duplicate field 'k777'"), e.getMessage());
        HttpError nested = assertThrows(HttpError.class, () -> read("{\"body\":" + json + ",\"k777\":1}}"));
        assertTrue(nested.getMessage().contains("Duplicate field 'k777'"), nested.getMessage());
    }

    @Test
    void refusesMalformedUtf8() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpError e = assertThrows(HttpError.class, () -> Json.members(bytes, 0, bytes.length));
        assertEquals("body: not valid UTF-8 (at byte 6)", e.getMessage());
    }

    @Test
    void readsOnlyTheGivenSliceOfTheBytes() {
        byte[] bytes = "xx{\"a\":\"b\"}yy".getBytes(StandardCharsets.UTF_8);
        Members read = Json.members(bytes, 2, bytes.length - 4);
        assertEquals("b", read.get("a").text());
        assertTrue(read.names().contains("a"));
        assertEquals(1, read.names().size());
    }

    private static List<String> contents(Members m) {
        List<String> out = new ArrayList<>();
        for (String name : m.names()) {
            JsonValue v = m.get(name);
            out.add(name + "=" + v.kind() + ":" + v.text());
        }
        return out;
    }
}
