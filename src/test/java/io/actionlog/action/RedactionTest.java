package io.actionlog.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private final Redaction defaults = new Redaction(List.of("password", "token", "secret", "api_key", "authorization"));

    private String object(Redaction r, String json) throws Exception {
        try (JsonParser p = JsonCopy.FACTORY.createParser(json)) {
            p.nextToken();
            return r.body(JsonCopy.container(p));
        }
    }

    private String string(Redaction r, String text) {
        return r.body(JsonValue.string(text));
    }

    @Test
    void secretValuesAreMaskedAtAnyDepthAndInLists() throws Exception {
        assertEquals("{\"user\":\"u\",\"password\":\"[REDACTED]\",\"nested\":{\"deeper\":[{\"token\":\"[REDACTED]\"},"
                        + "{\"ok\":1,\"api_key\":\"[REDACTED]\"}]},\"secret\":\"[REDACTED]\"}",
                object(defaults, "{\"user\":\"u\",\"password\":\"p\",\"nested\":{\"deeper\":[{\"token\":\"t\"},"
                        + "{\"ok\":1,\"api_key\":42}]},\"secret\":{\"whole\":\"object\"}}"));
        assertEquals("[{\"authorization\":\"[REDACTED]\"},[{\"password\":\"[REDACTED]\"}]]",
                object(defaults, "[{\"authorization\":\"Bearer x\"},[{\"password\":null}]]"));
    }

    @Test
    void keysMatchIgnoringCaseButOnlyWhole() throws Exception {
        assertEquals("{\"PassWord\":\"[REDACTED]\",\"TOKEN\":\"[REDACTED]\",\"Authorization\":\"[REDACTED]\","
                        + "\"token_type\":\"bearer\",\"db_password\":\"kept\",\"passwords\":\"kept\"}",
                object(defaults, "{\"PassWord\":\"a\",\"TOKEN\":\"b\",\"Authorization\":\"c\",\"token_type\":\"bearer\","
                        + "\"db_password\":\"kept\",\"passwords\":\"kept\"}"));
    }

    @Test
    void aStringBodyHoldingJsonIsRedactedAndStaysAString() {
        assertEquals("{\"a\":1,\"password\":\"[REDACTED]\"}", string(defaults, "  {\"a\": 1, \"password\": \"p\"}"));
        assertEquals("[{\"secret\":\"[REDACTED]\"}]", string(defaults, "[{\"secret\":\"s\"}]"));
    }

    @Test
    void aKeySpelledWithEscapesOrOtherCaseInAStringBodyIsStillFound() {
        assertEquals("{\"password\":\"[REDACTED]\"}", string(defaults, "{\"pass\\u0077ord\": \"p\"}"));
        assertEquals("{\"ToKeN\":\"[REDACTED]\"}", string(defaults, "{\"ToKeN\": \"t\"}"));
        // U+212A KELVIN SIGN lower-cases to an ASCII k, so this key is "token" to the exact test.
        assertEquals("{\"to\u212Aen\":\"[REDACTED]\"}", string(defaults, "{\"to\u212Aen\": \"t\"}"));
        Redaction dotted = new Redaction(List.of("\u0130d"));
        assertEquals("{\"\u0130D\":\"[REDACTED]\"}", dotted.body(JsonValue.string("{\"\u0130D\": 1}")),
                "a non-ASCII key is looked for by parsing");
    }

    @Test
    void otherStringsAreStoredExactlyAsGiven() {
        String noSecret = "{ \"a\" : 1,\n  \"b\": [true] }";
        assertEquals(noSecret, string(defaults, noSecret), "nothing to mask: formatting kept");
        assertEquals("password=p&token=t", string(defaults, "password=p&token=t"), "not JSON");
        assertEquals("{\"password\": \"p\"} trailing", string(defaults, "{\"password\": \"p\"} trailing"),
                "not one JSON document");
        assertEquals("{\"password\": ", string(defaults, "{\"password\": "), "broken JSON");
        assertEquals("\"password\"", string(defaults, "\"password\""));
    }

    @Test
    void onlyTheMaskedValuesChange() throws Exception {
        String given = "{\"password\":1e400,\"x\":0.1000000000000000055511151231257827,\"n\":[1e2147483648,-0,1.50]}";
        String masked = "{\"password\":\"[REDACTED]\",\"x\":0.1000000000000000055511151231257827,"
                + "\"n\":[1e2147483648,-0,1.50]}";
        assertEquals(masked, object(defaults, given));
        assertEquals(masked, string(defaults, given));
        assertEquals("{\"a\":1,\"a\":2,\"token\":\"[REDACTED]\"}", string(defaults, "{\"a\":1,\"a\":2,\"token\":3}"),
                "a string body is text: a repeated name in it stays");
    }

    @Test
    void theListIsConfigurableAndMayBeEmpty() throws Exception {
        Redaction custom = new Redaction(List.of("PIN", "client_secret"));
        assertEquals("{\"pin\":\"[REDACTED]\",\"client_secret\":\"[REDACTED]\",\"password\":\"p\"}",
                object(custom, "{\"pin\":1234,\"client_secret\":\"c\",\"password\":\"p\"}"));
        assertEquals("{\"password\":\"p\"}", object(Redaction.none(), "{\"password\":\"p\"}"));
    }
}
