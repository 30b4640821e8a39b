package io.actionlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Cli;
import io.actionlog.support.ForkedServer;
import io.actionlog.support.Needs;
import io.actionlog.support.Script;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's command line as an operator meets it: help, version, errors, and which data directory is used. */
class CommandLineTest {
    private static final List<List<String>> COMMANDS = List.of(List.of(), List.of("serve"), List.of("credential"),
            List.of("credential", "add"), List.of("credential", "list"), List.of("credential", "remove"),
            List.of("credential", "rotate"), List.of("generate"), List.of("verify"), List.of("integrity"),
            List.of("integrity", "key"));

    @TempDir
    Path dir;

    @Test
    void versionPrintsThePomVersion() throws Exception {
        Matcher m = Pattern.compile("<artifactId>actionlog</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find());
        Cli version = Cli.run("--version");
        assertEquals(0, version.code());
        assertEquals("actionlog " + m.group(1), version.out().strip());
    }

    @Test
    void everyCommandHasHelpAndExitsZero() {
        for (List<String> command : COMMANDS) {
            Cli help = Cli.run(Stream.concat(command.stream(), Stream.of("--help")).toArray(String[]::new));
            assertEquals(0, help.code(), command + ": " + help.err());
            String usage = ("Usage: actionlog " + String.join(" ", command)).strip() + " ";
            assertTrue(help.out().startsWith(usage), command + ": " + help.out());
            assertEquals("", help.err());
        }
    }

    @Test
    void anUnknownOptionOrAStrayArgumentExitsWith2NamingItInOneLineThenTheUsageOnStderr() {
        List<List<String>> bad = List.of(List.of("--bogus"), List.of("serve", "--bogus"), List.of("serve", "stray"),
                List.of("frobnicate"), List.of("verify", "stray"), List.of("generate", "--count", "1", "--bogus"),
                List.of("credential", "list", "--bogus"), List.of("credential", "list", "stray"));
        for (List<String> args : bad) {
            Cli run = Cli.run(args.toArray(String[]::new));
            assertEquals(2, run.code(), args + ": " + run.err());
            assertEquals("", run.out(), args.toString());
            List<String> lines = run.err().lines().toList();
            String named = args.get(args.size() - 1);
            assertTrue(lines.get(0).startsWith("actionlog") && lines.get(0).contains("'" + named + "'"), run.err());
            assertTrue(lines.get(1).startsWith("Usage: actionlog"), run.err());
        }
    }

    @Test
    void optionsWithoutACommandAreOptionsOfServe() {
        Cli run = Cli.run("--bogus");
        assertTrue(run.err().startsWith("actionlog serve: Unknown option: '--bogus'"), run.err());
    }

    @Test
    void aBadConfigurationValueExitsWith2InOneLine() throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, "{\"http\":{\"port\":99999}}");
        Cli run = Cli.run("verify", "--config", config.toString(), "--data-dir", dir.toString());
        assertEquals(2, run.code());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("http.port") && run.err().contains("99999"), run.err());
    }

    @Test
    void aJsonFileCutShortIsReportedInOneLineSayingWhere() throws Exception {
        Path config = dir.resolve("cut.json");
        Files.writeString(config, "{\"http\":{\"port\":90");
        Cli run = Cli.run("verify", "--config", config.toString(), "--data-dir", dir.toString());
        assertEquals(2, run.code());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains(config.toString()) && run.err().contains("line 1, column 19"), run.err());

        Path data = dir.resolve("data");
        assertEquals(0, Cli.run("credential", "add", "bob", "--create", "--data-dir", data.toString()).code());
        Files.writeString(data.resolve("credentials.json"), "{\"version\":");
        Cli list = Cli.run("credential", "list", "--data-dir", data.toString());
        assertEquals(1, list.code());
        assertEquals(1, list.err().lines().count(), list.err());
        assertTrue(list.err().contains("credentials.json") && list.err().contains("line 1"), list.err());
    }

    @Test
    void verifyOrGenerateWithoutAJournalThereExitWith1NamingTheDirectoryAndCreateNothing() {
        Path nowhere = dir.resolve("nowhere");
        for (String[] args : List.of(new String[] {"verify", "--data-dir", nowhere.toString()},
                new String[] {"generate", "--count", "10", "--data-dir", nowhere.toString()})) {
            Cli run = Cli.run(args);
            assertEquals(1, run.code(), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().contains("no journal in " + nowhere), run.err());
        }
        assertFalse(Files.exists(nowhere));
    }

    @Test
    void aDataDirectoryTheUserMayNotEnterIsNamedAsSuchNotAsEmpty() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run("credential", "add", "bob", "--create", "--data-dir", data.toString()).code());
        assertEquals(0, Cli.run("generate", "--count", "1", "--create", "--data-dir", data.toString()).code());
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("---------"));
        try {
            // Root reads any directory: the commands then run without the capabilities that let it.
            boolean root = Files.isReadable(data);
            Needs.require("TOOLS", !root || Script.onPath("setpriv"), "setpriv, to run a command as root that may"
                    + " not override file permissions");
            List<String> asUser = root ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search")
                    : List.of();
            for (List<String> args : List.of(List.of("verify"), List.of("generate", "--count", "1"),
                    List.of("credential", "list"))) {
                List<String> cmd = new java.util.ArrayList<>(asUser);
                cmd.addAll(ForkedServer.javaCommand(Map.of(), Stream.concat(args.stream(),
                        Stream.of("--data-dir", data.toString())).toArray(String[]::new)));
                Script run = Script.run(cmd.toArray(String[]::new));
                assertEquals(1, run.code(), args + ": " + run.out());
                assertTrue(run.out().contains("permission denied: " + data), args + ": " + run.out());
            }
        } finally {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void generateRefusesAStartWhoseDatesNoRecorderCouldSend() {
        Path out = dir.resolve("actions.ndjson");
        // The largest overflowed start * 1,000,000 into a date of another era; the others are past year 9999 or 0.
        for (String start : List.of("99999999999999", "253402300799", "-62135596800")) {
            Cli run = Cli.run("generate", "--count", "2", "--start", start, "--out", out.toString());
            assertEquals(2, run.code(), start + ": " + run.err());
            assertTrue(run.err().lines().findFirst().orElse("").contains("--start " + start), run.err());
        }
        assertFalse(Files.exists(out));
        Cli fine = Cli.run("generate", "--count", "2", "--start", "253399000000", "--out", out.toString());
        assertEquals(0, fine.code(), fine.err());
    }

    @Test
    void serveUsesTheDataDirectoryGivenOnTheCommandLineAndSaysItCreatedIt() throws Exception {
        Path given = dir.resolve("given");
        Path configured = dir.resolve("configured");
        Map<String, String> properties = Map.of("http.host", "127.0.0.1", "http.port", "0",
                "data.dir", configured.toString(), "auth.admin_key", "command-line-test-admin-key");
        try (ForkedServer server = ForkedServer.start(properties, "serve", "--data-dir", given.toString())) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String version = Cli.run("--version").out().strip().substring("actionlog ".length());
            assertEquals(version, new JsonObject(health.body()).getString("version"));
            assertTrue(server.output().contains("actionlog " + version + " listening on"), server.output());
            assertTrue(server.output().contains("created data directory " + given), server.output());
        }
        assertTrue(Files.isDirectory(given.resolve("journal")));
        assertTrue(Files.exists(given.resolve("credentials.json")));
        assertFalse(Files.exists(configured), "--data-dir wins over data.dir from a system property");
    }
}
