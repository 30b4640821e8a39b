package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiTest {
    @TempDir
    Path dir;

    @Test
    void theDescriptionIsServedAndCoversEveryRoute() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client.Response r = server.withHeader(null).get("/api/openapi.yaml");
            assertEquals(200, r.status());
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(r.body());
            assertTrue(doc.get("openapi").asText().startsWith("3."));
            JsonNode paths = doc.get("paths");
            List<String> endpoints = new java.util.ArrayList<>(server.endpoints());
            // The Waldur routes are regular expressions (optional trailing slash), so the router has no path to list.
            endpoints.addAll(List.of("GET /api/user-action-executions/", "HEAD /api/user-action-executions/",
                    "GET /api/user-action-executions/{id}/", "HEAD /api/user-action-executions/{id}/"));
            assertFalse(endpoints.isEmpty());
            for (String endpoint : endpoints) {
                String[] mp = endpoint.split(" ", 2);
                JsonNode path = paths.get(mp[1]);
                assertTrue(path != null && path.has(mp[0].toLowerCase(Locale.ROOT)),
                        "not in openapi.yaml: " + endpoint);
            }
        }
    }
}
