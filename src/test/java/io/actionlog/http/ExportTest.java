package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTest {
    private static final String EXPORT = "/api/v1/action/export/";

    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir.resolve("a"));
        recorder = server.addUser("rec", Role.RECORDER);
        server.addUser("ann", Role.USER);
        server.addUser("aud", Role.AUDITOR);
        JsonObject first = recorder.record(new JsonObject().put("action", "Service Create").put("user", "ann")
                .put("object", "/api/v1/service/1/").put("parents", new JsonArray().add("/api/v1/stack/1/"))
                .put("ip", "10.0.0.1").put("user_agent", "curl/8").put("body", new JsonObject().put("n", 1))
                .put("start_date", "2026-01-02T03:04:05.123456Z").put("logs", "line one\n"));
        String uuid = first.getString("uuid");
        recorder.postText("/api/v1/action/" + uuid + "/logs/", "line two \"quoted\"\n");
        recorder.postText("/api/v1/action/" + uuid + "/logs/", "line three ünïcode 🎉\n");
        recorder.patch("/api/v1/action/" + uuid + "/", new JsonObject().put("state", "Failed").put("error", "boom")
                .put("metadata", new JsonObject().put("k", new JsonArray().add(1).add("two"))));
        server.admin().post("/api/v1/action/" + uuid + "/retry/", new JsonObject());
        for (int i = 0; i < 30; i++) {
            recorder.record(new JsonObject().put("action", "Node Deploy").put("user", i % 3 == 0 ? "ann" : "bob")
                    .put("object", "/api/v1/node/" + i + "/").put("start_date", "2026-02-0" + (1 + i % 9) + "T00:00:0"
                            + (i % 10) + "Z").put("state", i % 2 == 0 ? "Success" : "Pending"));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<JsonObject> lines(String body) {
        List<JsonObject> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            out.add(new JsonObject(line));
        }
        return out;
    }

    private static List<String> uuids(List<JsonObject> objects) {
        return objects.stream().map(o -> o.getString("uuid")).collect(Collectors.toList());
    }

    @Test
    void ndjsonLinesCarryEveryFieldInTheFieldListsOrderAndNameTheFile() {
        Client.Response r = server.as("aud").get(EXPORT + "?include_logs=true&order_by=start_date");
        assertEquals(200, r.status(), r.body());
        assertEquals("application/x-ndjson", r.header("Content-Type"));
        assertTrue(r.header("Content-Disposition").matches("attachment; filename=\"actions-\\d{4}-\\d{2}-\\d{2}\\.ndjson\""),
                r.header("Content-Disposition"));
        assertTrue(r.body().endsWith("\n"));
        JsonObject first = lines(r.body()).get(0);
        assertEquals(List.of("id", "uuid", "user", "action", "method", "path", "object", "parents", "ip", "location",
                "user_agent", "body", "state", "start_date", "end_date", "logs", "error", "metadata",
                "is_user_action", "retry_of", "recorded_by"), new ArrayList<>(first.fieldNames()));
        assertEquals("2026-01-02T03:04:05.123456+00:00", first.getString("start_date"));
        assertEquals("line one\nline two \"quoted\"\nline three ünïcode 🎉\n", first.getString("logs"));
        assertEquals("Failed", first.getString("state"));
        assertEquals("boom", first.getString("error"));
        assertEquals(new JsonObject().put("k", new JsonArray().add(1).add("two")), first.getJsonObject("metadata"));
        assertEquals("rec", first.getString("recorded_by"));
        assertFalse(server.as("aud").get(EXPORT).body().contains("\"logs\""), "logs only when asked for");
    }

    @Test
    void anExportLoadsIntoAnEmptyServerAndExportsAgainTheSameApartFromIdAndRecordedBy() throws Exception {
        String exported = server.as("aud").get(EXPORT + "?include_logs=true&order_by=start_date").body();
        try (TestServer empty = TestServer.start(dir.resolve("b"))) {
            Client loader = empty.addUser("loader", Role.RECORDER);
            Client.Response load = loader.send(HttpMethod.POST, "/api/v1/action/bulk/", exported,
                    "application/x-ndjson");
            assertEquals(200, load.status(), load.body());
            assertEquals(0, load.json().getInteger("rejected"), load.body());
            String again = empty.admin().get(EXPORT + "?include_logs=true&order_by=start_date").body();
            List<JsonObject> before = lines(exported);
            List<JsonObject> after = lines(again);
            assertEquals(before.size(), after.size());
            for (int i = 0; i < before.size(); i++) {
                before.get(i).remove("id");
                before.get(i).remove("recorded_by");
                assertEquals("loader", after.get(i).remove("recorded_by"));
                after.get(i).remove("id");
                assertEquals(before.get(i), after.get(i));
            }
            assertTrue(after.stream().anyMatch(o -> o.getString("retry_of") != null), "retry_of is kept");
        }
    }

    @Test
    void filtersAndOrderAreThoseOfTheList() {
        for (String query : List.of("?state=Pending", "?user=bob&order_by=-id", "?action=Node%20Deploy&order_by=end_date",
                "?object=/api/v1/node/3/", "?start_date__gte=2026-02-03&start_date__lt=2026-02-06",
                "?state__in=Success,Failed&order_by=start_date", "?uuid__startswith=0")) {
            List<String> listed = server.as("aud").get("/api/v1/action/" + query + (query.isEmpty() ? "?" : "&")
                    + "limit=1000").json().getJsonArray("objects").stream()
                    .map(o -> ((JsonObject) o).getString("uuid")).collect(Collectors.toList());
            String body = server.as("aud").get(EXPORT + query).body();
            List<String> exported = body.isEmpty() ? List.of() : uuids(lines(body));
            assertEquals(listed, exported, query);
        }
    }

    @Test
    void aUserExportsOnlyTheirOwnActions() {
        Set<String> users = lines(server.as("ann").get(EXPORT).body()).stream().map(o -> o.getString("user"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("ann"), users);
    }

    @Test
    void badParametersAre400NamingThem() {
        Client.Response format = server.as("aud").get(EXPORT + "?format=xml");
        assertEquals(400, format.status());
        assertTrue(format.json().getString("error").startsWith("format:"), format.body());
        assertEquals(400, server.as("aud").get(EXPORT + "?state=Bogus").status());
        assertEquals(400, server.as("aud").get(EXPORT + "?include_logs=maybe").status());
        assertEquals(401, server.withHeader("Token nope").get(EXPORT).status());
    }

    @Test
    void csvHasAHeaderRowQuotesTextsAndNeutralisesFormulas() {
        String uuid = UUID.randomUUID().toString();
        recorder.record(new JsonObject().put("uuid", uuid).put("action", "=HYPERLINK(\"http://x\")")
                .put("user", "@admin").put("user_agent", "+1, \"two\"\r\nthree").put("body", "-2")
                .put("logs", "=cmd|' /C calc'!A0").put("metadata", new JsonObject().put("a", "b")));
        Client.Response r = server.as("aud").get(EXPORT + "?format=csv&include_logs=true&uuid=" + uuid);
        assertEquals(200, r.status(), r.body());
        assertEquals("text/csv; charset=utf-8", r.header("Content-Type"));
        assertTrue(r.header("Content-Disposition").endsWith(".csv\""));
        List<List<String>> rows = Csv.parse(r.body());
        assertEquals(2, rows.size(), r.body());
        List<String> header = rows.get(0);
        assertEquals("id", header.get(0));
        assertTrue(header.contains("logs"));
        List<String> row = rows.get(1);
        assertEquals("'=HYPERLINK(\"http://x\")", row.get(header.indexOf("action")));
        assertEquals("'@admin", row.get(header.indexOf("user")));
        assertEquals("'+1, \"two\"\r\nthree", row.get(header.indexOf("user_agent")));
        assertEquals("'-2", row.get(header.indexOf("body")));
        assertEquals("'=cmd|' /C calc'!A0", row.get(header.indexOf("logs")));
        assertEquals("{\"a\":\"b\"}", row.get(header.indexOf("metadata")));
        assertEquals("[]", row.get(header.indexOf("parents")));
        assertEquals("", row.get(header.indexOf("end_date")));
        assertEquals(uuid, row.get(header.indexOf("uuid")));
        assertFalse(Csv.parse(server.as("aud").get(EXPORT + "?format=csv&uuid=" + uuid).body()).get(0)
                .contains("logs"));
    }

    @Test
    void anExportIsTheMatchesAsOfItsStartWhateverIsWrittenWhileItStreams() throws Exception {
        // Enough matches that the export cannot all sit in socket buffers before the client reads on.
        String pad = "x".repeat(4000);
        StringBuilder bulk = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            String uuid = UUID.randomUUID().toString();
            ids.add(uuid);
            bulk.append(new JsonObject().put("uuid", uuid).put("action", "Snapshot Probe").put("body", pad)
                    .put("start_date", "2025-01-01T00:00:00Z").encode()).append('\n');
        }
        assertEquals(200, recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", bulk.toString(),
                "application/x-ndjson").status());
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port() + EXPORT
                + "?action=Snapshot%20Probe&order_by=id").toURL().openConnection();
        c.setRequestProperty("Authorization", "ApiKey aud:" + server.key("aud"));
        try (InputStream in = c.getInputStream()) {
            byte[] start = in.readNBytes(64 * 1024);
            String last = ids.get(ids.size() - 1);
            recorder.patch("/api/v1/action/" + last + "/", new JsonObject().put("state", "Failed").put("error", "late"));
            recorder.record(new JsonObject().put("action", "Snapshot Probe"));
            String body = new String(start, StandardCharsets.UTF_8) + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<JsonObject> got = lines(body);
            assertEquals(ids, uuids(got), "the matches as of the start, and only those");
            JsonObject lastLine = got.get(got.size() - 1);
            assertEquals("Pending", lastLine.getString("state"));
            assertEquals("", lastLine.getString("error"));
        }
        assertEquals("Failed", server.admin().get("/api/v1/action/" + ids.get(ids.size() - 1) + "/").json()
                .getString("state"));
    }

    @Test
    void actionsTooLargeToReadAheadTogetherAreExportedWholeInTheirOrder() {
        // Five bodies of 400 KB: a batch reads ahead at most 1 MiB of entries, so most are read alone in their turn.
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = ("big body " + i + " \"quoted\" ünïcode\n").repeat(400 * 1024 / 30);
            bodies.add(body);
            recorder.record(new JsonObject().put("action", "Large Probe").put("body", body)
                    .put("start_date", "2024-01-0" + (i + 1) + "T00:00:00Z").put("logs", "log of " + i));
        }
        List<JsonObject> got = lines(server.as("aud").get(EXPORT + "?action=Large%20Probe&order_by=-start_date"
                + "&include_logs=true").body());
        assertEquals(5, got.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(bodies.get(4 - i), got.get(i).getString("body"));
            assertEquals("log of " + (4 - i), got.get(i).getString("logs"));
        }
        List<List<String>> rows = Csv.parse(server.as("aud").get(EXPORT + "?action=Large%20Probe&order_by=start_date"
                + "&format=csv").body());
        assertEquals(6, rows.size());
        assertEquals(bodies.get(0), rows.get(1).get(rows.get(0).indexOf("body")));
        assertEquals(bodies.get(4), rows.get(5).get(rows.get(0).indexOf("body")));
    }

    @Test
    void anExportOfManyChunksArrivesWholeAndInOrder() {
        // About 20 MB in actions of 400 KB: about twenty chunks of the download, most actions crossing a chunk's
        // end, several times what it reads ahead and queues for the socket.
        int n = 48;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = ("chunk body " + i + " ").repeat(400 * 1024 / 15);
            bodies.add(body);
            recorder.record(new JsonObject().put("action", "Chunk Probe").put("body", body)
                    .put("start_date", String.format("2027-01-01T00:%02d:00Z", i)));
        }
        List<JsonObject> got = lines(server.as("aud").get(EXPORT + "?action=Chunk%20Probe&order_by=start_date")
                .body());
        assertEquals(n, got.size());
        for (int i = 0; i < n; i++) {
            assertEquals(bodies.get(i), got.get(i).getString("body"));
        }
    }

    /** Reads RFC 4180 CSV: quoted cells may hold commas, quotes (doubled) and line breaks; rows end in CRLF. */
    static final class Csv {
        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                char ch = text.charAt(i);
                if (ch == '"') {
                    i++;
                    while (true) {
                        char q = text.charAt(i++);
                        if (q == '"' && i < text.length() && text.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else if (q == '"') {
                            break;
                        } else {
                            cell.append(q);
                        }
                    }
                } else if (ch == ',') {
                    row.add(cell.toString());
                    cell.setLength(0);
                    i++;
                } else if (ch == '\r' && text.startsWith("\r\n", i)) {
                    row.add(cell.toString());
                    cell.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                    i += 2;
                } else {
                    cell.append(ch);
                    i++;
                }
            }
            assertTrue(row.isEmpty() && cell.length() == 0, "every row ends in CRLF");
            return rows;
        }
    }
}
