package io.actionlog.reliability;

import static io.actionlog.reliability.Garbage.pick;

import io.actionlog.auth.CredentialStore;
import io.actionlog.auth.Role;
import io.actionlog.config.Config;
import io.actionlog.server.Server;
import io.actionlog.server.ServerHooks;
import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated bad input on every path of the Tutum face. For every request: never a 5xx; every 4xx is a JSON
 * {@code {"error": ...}}, and a 400 names the field or parameter at fault ({@code "name: problem"}). Between
 * accepted writes, the journal's entry count, the action count and a digest of the newest actions never change,
 * so a refused write wrote nothing. Tries per property: {@code jqwik.tries.default} (junit-platform.properties;
 * {@code scripts/fuzz.sh} runs many more).
 */
class InputFuzzTest {
    private static final Pattern NAMED = Pattern.compile("^([A-Za-z_]+): .+", Pattern.DOTALL);
    private static final Set<String> LIST_PARAMS = Set.of("limit", "offset", "state", "state__in", "uuid",
            "uuid__startswith", "start_date__gte", "start_date__gt", "start_date__lte", "start_date__lt",
            "end_date__gte", "end_date__gt", "end_date__lte", "end_date__lt", "object", "include_related", "action",
            "method", "ip", "user", "order_by");
    private static final String VALID_RECORD = "{\"action\":\"Fuzz\",\"object\":\"/o/1/\"}";
    private static final String VALID_CHANGE = "{\"state\":\"In progress\"}";
    private static final List<String> METHODS = List.of("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS",
            "TRACE", "FOO");
    private static final List<String> TYPES = List.of("application/json", "application/json; charset=utf-8",
            "text/plain", "application/x-ndjson", "", "application/xml", "APPLICATION/JSON");

    private static Path dir;
    private static Server server;
    private static RawHttp http;
    private static String auth;
    private static String userAuth;
    private static final List<String> targets = new ArrayList<>();
    private static String baseline;
    private static long cases;
    private static String last = "";

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("fuzz");
        server = Server.start(Config.of(Map.of("http.host", "127.0.0.1", "http.port", "0", "data.dir",
                dir.toString(), "auth.admin_key", TestServer.ADMIN_KEY, "auth.max_failures", "1000000")));
        String key = CredentialStore.open(dir, TestServer.ADMIN_KEY).add("someone", Role.USER);
        userAuth = "ApiKey someone:" + key;
        ServerHooks.reloadCredentials(server);
        http = new RawHttp(server.port());
        auth = "Token " + TestServer.ADMIN_KEY;
        for (int i = 0; i < 8; i++) {
            targets.add(newTarget());
        }
        baseline = fingerprint();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            check(fingerprint().equals(baseline), "state changed since the last accepted write");
            System.out.println("fuzz: " + cases + " generated requests");
        } finally {
            http.close();
            server.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property
    void recordingNeverFailsOrWritesHalf(@ForAll("seeds") long seed) throws IOException {
        Random r = new Random(seed);
        byte[] body = Garbage.body(r, Garbage.RECORD_FIELDS, VALID_RECORD);
        RawHttp.Response res = send("POST", "/api/v1/action/", pick(r, TYPES), body, auth);
        verify(res, names(Garbage.RECORD_FIELDS, "body"), res.status() / 100 == 2);
    }

    @Property
    void changingNeverFailsOrWritesHalf(@ForAll("seeds") long seed) throws IOException {
        Random r = new Random(seed);
        int t = r.nextInt(targets.size());
        byte[] body = Garbage.body(r, Garbage.CHANGE_FIELDS, VALID_CHANGE);
        RawHttp.Response res = send("PATCH", targets.get(t), pick(r, TYPES), body, auth);
        boolean wrote = res.status() / 100 == 2;
        verify(res, names(Garbage.CHANGE_FIELDS, "body"), wrote);
        if (wrote) {
            targets.set(t, newTarget());
            baseline = fingerprint();
        }
    }

    @Property
    void appendingLogsNeverFailsOrWritesHalf(@ForAll("seeds") long seed) throws IOException {
        Random r = new Random(seed);
        byte[] text = r.nextInt(10) == 0 ? Garbage.text(r).getBytes(StandardCharsets.UTF_8)
                : Garbage.damage(r, ("log " + Garbage.text(r)).getBytes(StandardCharsets.UTF_8));
        String path = r.nextInt(4) == 0 ? "/api/v1/action/" + Garbage.segment(r) + "/logs/"
                : targets.get(r.nextInt(targets.size())) + "logs/";
        RawHttp.Response res = send("POST", path, pick(r, TYPES), text, r.nextInt(8) == 0 ? userAuth : auth);
        verify(res, Set.of("body"), res.status() / 100 == 2);
    }

    @Property
    void cancelAndRetryPathsNeverFail(@ForAll("seeds") long seed) throws IOException {
        Random r = new Random(seed);
        String uuid = r.nextBoolean() ? Garbage.segment(r) : UUID.randomUUID().toString();
        String path = "/api/v1/action/" + uuid + "/" + pick(r, List.of("cancel/", "retry/", "cancel", "retry/x/"));
        byte[] body = r.nextBoolean() ? null : Garbage.damage(r, Garbage.text(r).getBytes(StandardCharsets.UTF_8));
        RawHttp.Response res = send("POST", path, pick(r, TYPES), body, r.nextBoolean() ? userAuth : auth);
        verify(res, Set.of("body"), res.status() / 100 == 2);
    }

    @Property
    void listParametersNeverFail(@ForAll("seeds") long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder q = new StringBuilder("/api/v1/action/?");
        int n = 1 + r.nextInt(4);
        List<String> params = new ArrayList<>(LIST_PARAMS);
        for (int i = 0; i < n; i++) {
            String name = r.nextInt(10) == 0 ? Garbage.segment(r) : pick(r, params);
            String value = switch (r.nextInt(5)) {
                case 0 -> Garbage.encode(pick(r, Garbage.DATES));
                case 1 -> Garbage.encode(pick(r, Garbage.STATES));
                case 2 -> pick(r, List.of("-1", "0", "1001", "99999999999", "2147483648", "1e3", "%20", "0x10"));
                default -> Garbage.segment(r);
            };
            q.append(i == 0 ? "" : "&").append(name).append(r.nextInt(20) == 0 ? "" : "=" + value);
        }
        RawHttp.Response res = send("GET", q.toString(), null, null, r.nextInt(4) == 0 ? userAuth : auth);
        verify(res, LIST_PARAMS, false);
    }

    @Property
    void oddPathsAndMethodsNeverFail(@ForAll("seeds") long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder path = new StringBuilder(pick(r, List.of("/api/v1/action/", "/api/v1/", "/api/", "/",
                "/api/v1/action/bulk/", "/health", "/metrics", "/api/v1/action//")));
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            path.append(Garbage.segment(r)).append(r.nextBoolean() ? "/" : "");
        }
        byte[] target = path.toString().getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(6) == 0) {
            target = Garbage.damage(r, target);
            for (int i = 0; i < target.length; i++) {
                if (target[i] == ' ' || target[i] == '\r' || target[i] == '\n') {
                    target[i] = '_';
                }
            }
        }
        String method = pick(r, METHODS);
        RawHttp.Response res = http.exchange(method, target.length == 0 || target[0] != '/'
                ? ("/" + new String(target, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1)
                : target, headers(null, r.nextBoolean() ? auth : userAuth), r.nextBoolean() ? null : new byte[0]);
        cases++;
        last = method + " " + new String(target, StandardCharsets.ISO_8859_1);
        if (method.equals("HEAD")) {
            check(res.status() < 500, "a 5xx: " + res.status());
            return;
        }
        verify(res, Set.of("body"), false);
    }

    @Property
    void bulkLinesNeverFailOrWriteHalf(@ForAll("seeds") long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder ndjson = new StringBuilder();
        int lines = 1 + r.nextInt(6);
        for (int i = 0; i < lines; i++) {
            ndjson.append(new String(Garbage.body(r, Garbage.RECORD_FIELDS, VALID_RECORD), StandardCharsets.UTF_8)
                    .replace("\n", " ")).append(r.nextBoolean() ? "\n" : "\r\n");
        }
        byte[] bytes = ndjson.toString().getBytes(StandardCharsets.UTF_8);
        RawHttp.Response res = send("POST", "/api/v1/action/bulk/",
                r.nextInt(10) == 0 ? pick(r, TYPES) : "application/x-ndjson",
                r.nextInt(5) == 0 ? Garbage.damage(r, bytes) : bytes, auth);
        boolean wrote = false;
        if (res.status() == 200) {
            JsonObject result = new JsonObject(res.text());
            wrote = result.getInteger("created") > 0;
            for (Object e : result.getJsonArray("errors")) {
                String message = ((JsonObject) e).getString("error");
                check(named(message, names(Garbage.RECORD_FIELDS, "body")), "bulk line error names a field: " + message);
            }
        }
        verify(res, names(Garbage.RECORD_FIELDS, "body"), wrote);
    }

    @Property
    void waldurPathsAndParametersNeverFail(@ForAll("seeds") long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder path = new StringBuilder("/api/user-action-executions/");
        if (r.nextInt(3) == 0) {
            path.append(pick(r, List.of("1", "0", "-1", "99999999999999999999", "1.5", "abc", "%00", "1/extra",
                    Garbage.segment(r)))).append(r.nextBoolean() ? "/" : "");
        }
        path.append('?');
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = r.nextInt(6) == 0 ? Garbage.segment(r) : pick(r, List.of("page", "page_size", "o"));
            String value = r.nextBoolean() ? pick(r, List.of("last", "0", "-1", "2147483648", "1e2", "",
                    "-executed_at,id", "success,-foo", ",,,", "-", "--id")) : Garbage.segment(r);
            path.append(i == 0 ? "" : "&").append(name).append('=').append(value);
        }
        String method = pick(r, METHODS);
        RawHttp.Response res = http.exchange(method, path.toString().getBytes(StandardCharsets.UTF_8),
                headers(null, r.nextInt(10) == 0 ? "Token nope" : auth), null);
        cases++;
        last = method + " " + path;
        check(res.status() < 500, "a 5xx: " + res.status() + " " + res.text());
        if (res.status() >= 400 && !method.equals("HEAD")) {
            String detail = new JsonObject(res.text()).getString("detail");
            check(detail != null && !detail.isBlank(), "a Waldur error has a detail: " + res.text());
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static RawHttp.Response send(String method, String path, String type, byte[] body, String authorization)
            throws IOException {
        cases++;
        last = method + " " + path + " (" + type + ", " + (body == null ? "no body" : body.length + " bytes") + ")";
        return http.exchange(method, path.getBytes(StandardCharsets.UTF_8), headers(type, authorization), body);
    }

    private static Map<String, String> headers(String type, String authorization) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", authorization);
        if (type != null && !type.isEmpty()) {
            h.put("Content-Type", type);
        }
        return h;
    }

    /** The properties every answer has; {@code wrote} says the request was an accepted write. */
    private static void verify(RawHttp.Response res, Set<String> names, boolean wrote) throws IOException {
        int status = res.status();
        check(status < 500, "a 5xx: " + status + " " + res.text());
        if (status >= 400) {
            check(res.header("content-type") != null && res.header("content-type").startsWith("application/json"),
                    "a JSON error: " + status + " " + res.headers() + " " + res.text());
            String error = new JsonObject(res.text()).getString("error");
            check(error != null && !error.isBlank(), "an error message: " + res.text());
            if (status == 400) {
                check(named(error, names), "a 400 names the field or parameter: " + error);
            }
        }
        if (wrote) {
            baseline = fingerprint();
        } else if (cases % 200 == 0) {
            check(fingerprint().equals(baseline), "a refused request changed what is stored");
        }
    }

    /** The message starts with a known name, or with the caller's own unknown key. */
    private static boolean named(String error, Set<String> names) {
        Matcher m = NAMED.matcher(error);
        return m.matches() && (names.contains(m.group(1)) || Set.of("query", "path", "request").contains(m.group(1)))
                || error.endsWith(": unknown field") || error.endsWith(": is read-only");
    }

    private static Set<String> names(List<String> fields, String... more) {
        Set<String> s = new java.util.HashSet<>(fields);
        s.addAll(List.of(more));
        s.addAll(List.of("id", "resource_uri", "can_be_canceled", "can_be_retried", "retry_of", "recorded_by"));
        return s;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + "\n  after: " + (last.length() > 500 ? last.substring(0, 500) + "..." : last));
        }
    }

    private static String newTarget() throws IOException {
        RawHttp.Response res = send("POST", "/api/v1/action/", "application/json",
                ("{\"action\":\"target\",\"user\":\"someone\"}").getBytes(StandardCharsets.UTF_8), auth);
        check(res.status() == 201, "target recorded: " + res.text());
        return new JsonObject(res.text()).getString("resource_uri");
    }

    /** Journal entries, actions, and a digest of the newest 100 actions as listed. */
    private static String fingerprint() throws IOException {
        RawHttp.Response health = http.exchange("GET", "/health".getBytes(StandardCharsets.US_ASCII), Map.of(), null);
        JsonObject h = new JsonObject(health.text());
        RawHttp.Response list = http.exchange("GET", "/api/v1/action/?limit=100&order_by=-id"
                .getBytes(StandardCharsets.US_ASCII), headers(null, auth), null);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(list.body());
            return h.getLong("journal_entries") + "/" + h.getLong("actions") + "/" + HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
