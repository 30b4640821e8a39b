package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document tells the truth about the running server: every route is in it, each operation lists exactly
 * the authentication schemes the server accepts on it, and real responses have exactly the keys their schemas list.
 */
class OpenApiTest {
    private static final String KEY = TestServer.ADMIN_KEY;
    /** How each scheme of components.securitySchemes presents the admin credential: a header, or a query. */
    private static final Map<String, String> HEADERS = Map.of(
            "apiKey", "ApiKey admin:" + KEY,
            "basic", "Basic " + Base64.getEncoder().encodeToString(("admin:" + KEY).getBytes(StandardCharsets.UTF_8)),
            "token", "Token " + KEY);
    private static final String QUERY = "user=admin&token=" + KEY;

    @TempDir
    static Path dir;
    static TestServer server;
    static JsonNode doc;
    static Vertx vertx;
    static JsonObject finished;
    static JsonObject running;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        vertx = Vertx.vertx();
        Client.Response r = server.withHeader(null).get("/api/openapi.yaml");
        assertEquals(200, r.status());
        doc = new ObjectMapper(new YAMLFactory()).readTree(r.body());
        finished = server.admin().record(new JsonObject().put("action", "Build").put("state", "Success")
                .put("metadata", new JsonObject().put("k", 1)));
        running = server.admin().record(new JsonObject().put("action", "Deploy").put("state", "In progress"));
    }

    @AfterAll
    static void stop() {
        server.close();
        vertx.close();
    }

    @Test
    void theDescriptionIsServedAndCoversEveryRoute() {
        assertTrue(doc.get("openapi").asText().startsWith("3."));
        JsonNode paths = doc.get("paths");
        List<String> endpoints = new ArrayList<>(server.endpoints());
        // The Waldur routes are regular expressions (optional trailing slash), so the router has no path to list.
        endpoints.addAll(List.of("GET /api/user-action-executions/", "HEAD /api/user-action-executions/",
                "GET /api/user-action-executions/{id}/", "HEAD /api/user-action-executions/{id}/"));
        assertFalse(endpoints.isEmpty());
        for (String endpoint : endpoints) {
            String[] mp = endpoint.split(" ", 2);
            JsonNode path = paths.get(mp[1]);
            assertTrue(path != null && path.has(mp[0].toLowerCase(Locale.ROOT)), "not in openapi.yaml: " + endpoint);
        }
    }

    @Test
    void everyOperationListsExactlyTheSchemesTheServerAccepts() throws Exception {
        Set<String> all = new TreeSet<>();
        doc.at("/components/securitySchemes").fieldNames().forEachRemaining(all::add);
        assertEquals(new TreeSet<>(List.of("apiKey", "basic", "token", "queryToken")), all);
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (method.equals("parameters")) {
                    continue;
                }
                String operation = method.toUpperCase(Locale.ROOT) + " " + path.getKey();
                Set<String> listed = schemes(path.getValue().get(method));
                if (listed.isEmpty()) {
                    assertTrue(accepts(method, path.getKey(), null), operation + " should need no credentials");
                    continue;
                }
                assertFalse(accepts(method, path.getKey(), null), operation + " should need credentials");
                for (String scheme : all) {
                    assertEquals(listed.contains(scheme), accepts(method, path.getKey(), scheme),
                            operation + ": openapi.yaml " + (listed.contains(scheme) ? "lists " : "does not list ")
                                    + scheme);
                }
            }
        }
    }

    @Test
    void realResponsesHaveExactlyTheKeysTheirSchemasList() {
        Client admin = server.admin();
        String detail = "/api/v1/action/" + finished.getString("uuid") + "/";
        keys("GET /health", 200, server.withHeader(null).get("/health").json(), Set.of());
        keys("GET /api/v1/action/{uuid}/", 200, admin.get(detail).json(), Set.of());
        keys("POST /api/v1/action/", 201, finished, Set.of());
        JsonObject list = admin.get("/api/v1/action/").json();
        JsonNode listSchema = schema("GET /api/v1/action/", 200);
        keys("the list", listSchema, list, Set.of());
        keys("the list's meta", resolve(listSchema.at("/properties/meta")), list.getJsonObject("meta"), Set.of());
        keys("a list row", resolve(listSchema.at("/properties/objects/items")),
                list.getJsonArray("objects").getJsonObject(0), Set.of());
        String logs = "/api/v1/action/" + running.getString("uuid") + "/logs/";
        keys("POST /api/v1/action/{uuid}/logs/", 200, admin.postText(logs, "line\n").json(), Set.of());
        JsonObject stats = admin.get("/api/v1/action/stats/?interval=hour").json();
        JsonNode statsSchema = schema("GET /api/v1/action/stats/", 200);
        keys("the stats", statsSchema, stats, Set.of());
        keys("a stats bucket", resolve(statsSchema.at("/properties/buckets/items")),
                stats.getJsonArray("buckets").getJsonObject(0), Set.of());

        JsonNode execution = resolve(schema("GET /api/user-action-executions/", 200).get("items"));
        JsonArray executions = admin.get("/api/user-action-executions/?o=id").array();
        keys("a finished execution in the list", execution, executions.getJsonObject(0), Set.of());
        keys("a running execution in the list", execution, executions.getJsonObject(1), Set.of("success"));
        keys("GET /api/user-action-executions/{id}/", 200,
                admin.get("/api/user-action-executions/" + finished.getLong("id") + "/").json(), Set.of());

        Client.Response bulk = admin.send(HttpMethod.POST, "/api/v1/action/bulk/",
                "{\"action\":\"Bulk\"}\n{\"nope\":1}\n", "application/x-ndjson");
        JsonNode bulkSchema = schema("POST /api/v1/action/bulk/", 200);
        keys("the bulk result", bulkSchema, bulk.json(), Set.of("error"));
        keys("a bulk error", resolve(bulkSchema.at("/properties/errors/items")),
                bulk.json().getJsonArray("errors").getJsonObject(0), Set.of());

        keys("a Tutum error", schema("GET /api/v1/action/{uuid}/", 404),
                admin.get("/api/v1/action/00000000-0000-4000-8000-000000000000/").json(), Set.of());
        keys("a Waldur error", schema("GET /api/user-action-executions/{id}/", 404),
                admin.get("/api/user-action-executions/999999/").json(), Set.of());
    }

    /**
     * The keys of {@code body} are the schema's properties but {@code absent}, which must be optional: a key the
     * server sends and the document does not list fails, and so does one the document lists and the server dropped.
     */
    private static void keys(String what, JsonNode schema, JsonObject body, Set<String> absent) {
        Set<String> properties = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        assertTrue(properties.containsAll(required), what + ": required but not a property: " + required);
        properties.removeAll(absent);
        assertEquals(properties, new TreeSet<>(body.fieldNames()), what + ": keys sent against openapi.yaml");
        assertTrue(absent.stream().noneMatch(required::contains), what + ": a required key is absent");
    }

    private static void keys(String operation, int status, JsonObject body, Set<String> absent) {
        keys(operation + " " + status, schema(operation, status), body, absent);
    }

    /** The JSON schema of one response of one operation, references and allOf resolved. */
    private static JsonNode schema(String operation, int status) {
        String[] mp = operation.split(" ", 2);
        JsonNode op = doc.get("paths").get(mp[1]).get(mp[0].toLowerCase(Locale.ROOT));
        JsonNode response = resolve(op.get("responses").get(Integer.toString(status)));
        return resolve(response.at("/content/application~1json/schema"));
    }

    private static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = doc.at(node.get("$ref").asText().substring(1));
        }
        if (!node.has("allOf")) {
            return node;
        }
        var merged = new ObjectMapper().createObjectNode();
        var properties = merged.putObject("properties");
        var required = merged.putArray("required");
        for (JsonNode part : node.get("allOf")) {
            JsonNode p = resolve(part);
            properties.setAll((com.fasterxml.jackson.databind.node.ObjectNode) p.get("properties"));
            p.path("required").forEach(required::add);
        }
        return merged;
    }

    private static Set<String> schemes(JsonNode operation) {
        JsonNode security = operation.has("security") ? operation.get("security") : doc.get("security");
        Set<String> names = new LinkedHashSet<>();
        security.forEach(requirement -> requirement.fieldNames().forEachRemaining(names::add));
        return names;
    }

    /**
     * Whether the server lets the admin credential, presented by {@code scheme} (null: none), past authentication
     * on this operation. Each probe is a request that fails right after authentication (a bad parameter, an
     * unknown id), so nothing is changed and no stream stays open.
     */
    private static boolean accepts(String method, String path, String scheme) throws Exception {
        String uri = path.replace("{uuid}", running.getString("uuid")).replace("{id}", running.getString("id"));
        String query = "queryToken".equals(scheme) ? QUERY : "";
        String header = scheme == null ? null : HEADERS.get(scheme);
        if (path.startsWith("/v1/")) {
            String probe = path.contains("/logs/") ? "tail=x" : "type=bogus";
            String frame = firstFrame(uri + "?" + probe + (query.isEmpty() ? "" : "&" + query), header);
            return !frame.contains("UNAUTHORIZED");
        }
        if (path.equals("/api/v1/events/")) {
            uri += "?last_event_id=x" + (query.isEmpty() ? "" : "&" + query);
        } else if (!query.isEmpty()) {
            uri += "?" + query;
        }
        Client.Response r = server.withHeader(header).send(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), uri,
                method.equals("get") || method.equals("head") ? null : "", null);
        return r.status() != 401;
    }

    private static String firstFrame(String uri, String authorization) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
                .setURI(uri);
        if (authorization != null) {
            options.addHeader("Authorization", authorization);
        }
        CompletableFuture<String> first = new CompletableFuture<>();
        vertx.createWebSocketClient().connect(options)
                .onSuccess(ws -> ws.textMessageHandler(first::complete))
                .onFailure(first::completeExceptionally);
        return first.get(10, TimeUnit.SECONDS);
    }
}
