package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actionlog.action.Members;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading a request object member by member must accept and refuse exactly what the whole-tree parser does, with
 * the same words: same members in the same order with equal values, or the same 400 message.
 */
class JsonMembersTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            " { \"a\" : \"x\" } ",
            "{\"a\":\"x\",\"b\":true,\"c\":false,\"d\":null,\"e\":1,\"f\":-2.50,\"g\":12345678901234567890}",
            "{\"m\":{\"k\":[1,{\"z\":null}],\"s\":\"\\u00e9\"},\"l\":[],\"o\":{}}",
            "{\"u\":\"caf\u00e9 \uD83D\uDE00\",\"e\":\"a\\\"b\\\\c\\n\"}",
            "{\"b\":1e400,\"c\":0.1}",
            "{\"p\":[\"a\",\"b\"],\"q\":[],\"r\":[\"a\",1,null],\"s\":[[\"x\"]],\"t\":[\"\\u0000\"]}",
            "{\"p\":[1],\"q\":[{}],\"r\":[true,\"a\"]}",
    })
    void readsAnObjectAsTheTreeParserDoes(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Members read = Json.members(bytes, 0, bytes.length);
        Members tree = Members.of(Json.parse(bytes));
        assertEquals(contents(tree), contents(read));
        assertEquals(new ArrayList<>(tree.names()), new ArrayList<>(read.names()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "12", "null", "true"})
    void givesNoMembersForAnotherJsonValue(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertNull(Json.members(bytes, 0, bytes.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\":1,\"a\":2}",
            "{\"a\":{\"b\":1,\"b\":1}}",
            "{\"a\":1} {\"b\":2}",
            "{\"a\":1} x",
            "{\"a\":1",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":[1,}",
            "{\"a\":\"\\x\"}",
            "[1,",
            "{\"a\":01}",
            "{\"a\":1,}",
            "{\"p\":[\"a\",]}",
            "{\"p\":[\"a\"}",
            "{\"p\":[\"a\",\"b\"]]}",
            "{\"p\":[\"a\",{\"x\":1,\"x\":2}]}",
    })
    void refusesWhatTheTreeParserRefusesInItsWords(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        HttpError tree = assertThrows(HttpError.class, () -> Json.parse(bytes));
        HttpError read = assertThrows(HttpError.class, () -> Json.members(bytes, 0, bytes.length));
        assertEquals(tree.getMessage(), read.getMessage());
        assertEquals(400, read.status());
    }

    @org.junit.jupiter.api.Test
    void refusesMalformedUtf8AsTheTreeParserDoes() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpError tree = assertThrows(HttpError.class, () -> Json.parse(bytes));
        HttpError read = assertThrows(HttpError.class, () -> Json.members(bytes, 0, bytes.length));
        assertEquals(tree.getMessage(), read.getMessage());
    }

    @org.junit.jupiter.api.Test
    void readsOnlyTheGivenSliceOfTheBytes() {
        byte[] bytes = "xx{\"a\":\"b\"}yy".getBytes(StandardCharsets.UTF_8);
        Members read = Json.members(bytes, 2, bytes.length - 4);
        assertEquals("b", read.get("a").textValue());
        assertTrue(read.names().contains("a"));
        assertEquals(1, read.names().size());
    }

    private static List<String> contents(Members m) {
        List<String> out = new ArrayList<>();
        for (String name : m.names()) {
            JsonNode v = m.get(name);
            out.add(name + "=" + v.getNodeType() + ":" + v);
        }
        return out;
    }
}
