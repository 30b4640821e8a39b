package io.actionlog.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar actionlog.jar credential add NAME [--role ROLE] | list | remove NAME | rotate NAME}.
 *
 * <p>Exit codes: 0 done; 1 refused (unknown or duplicate name, unreadable store, bad configuration); 2 usage
 * error, reported in one line on stderr before the data directory is touched. {@code add} and {@code rotate} print
 * the new key alone on the last line of stdout so scripts can take it with {@code tail -n 1}; nothing else ever
 * prints a key.
 */
public final class CredentialCommand {
    private static final String USAGE = "usage: credential add NAME [--role " + Role.labels().replace(", ", "|")
            + "] | list | remove NAME | rotate NAME";

    private record Request(String verb, String name, Role role) {
    }

    private CredentialCommand() {
    }

    /** {@code args} are the words after {@code credential}; a leading {@code credential} is skipped too. */
    public static int run(List<String> args, Path dataDir, String presetAdminKey, PrintStream out, PrintStream err) {
        List<String> words = !args.isEmpty() && args.get(0).equals("credential") ? args.subList(1, args.size()) : args;
        Request request;
        try {
            request = parse(words);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "; " + USAGE);
            return 2;
        }
        try (CredentialStore store = CredentialStore.open(dataDir, presetAdminKey)) {
            store.bootstrapNote().ifPresent(err::println);
            execute(request, store, out);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static Request parse(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no subcommand");
        }
        String verb = words.get(0);
        List<String> rest = words.subList(1, words.size());
        switch (verb) {
            case "list":
                expect(rest.isEmpty(), "list takes no arguments");
                return new Request(verb, null, null);
            case "remove":
            case "rotate":
                expect(rest.size() == 1 && !rest.get(0).startsWith("-"), verb + " takes exactly one NAME");
                return new Request(verb, rest.get(0), null);
            case "add":
                return parseAdd(rest);
            default:
                throw new IllegalArgumentException("unknown subcommand \"" + verb + "\"");
        }
    }

    private static Request parseAdd(List<String> rest) {
        String name = null;
        Role role = Role.USER;
        for (int i = 0; i < rest.size(); i++) {
            String word = rest.get(i);
            if (word.equals("--role")) {
                expect(i + 1 < rest.size(), "--role needs a value");
                role = Role.parse(rest.get(++i));
            } else if (word.startsWith("--role=")) {
                role = Role.parse(word.substring("--role=".length()));
            } else if (word.startsWith("-")) {
                throw new IllegalArgumentException("unknown option \"" + word + "\"");
            } else {
                expect(name == null, "add takes exactly one NAME");
                name = Credential.checkName(word);
            }
        }
        expect(name != null, "add needs a NAME");
        return new Request("add", name, role);
    }

    private static void expect(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static void execute(Request request, CredentialStore store, PrintStream out) throws IOException {
        switch (request.verb()) {
            case "add":
                String key = store.add(request.name(), request.role());
                out.println("created credential " + request.name() + " (role " + request.role().label() + ")");
                out.println(key);
                break;
            case "rotate":
                String rotated = store.rotate(request.name());
                out.println("rotated the key of credential " + request.name());
                out.println(rotated);
                break;
            case "remove":
                store.remove(request.name());
                out.println("removed credential " + request.name());
                break;
            default:
                printTable(store.list(), out);
        }
    }

    private static void printTable(List<Credential> credentials, PrintStream out) {
        int width = "NAME".length();
        for (Credential c : credentials) {
            width = Math.max(width, c.name().length());
        }
        String row = "%-" + width + "s  %-8s  %s%n";
        out.printf(row, "NAME", "ROLE", "CREATED");
        for (Credential c : credentials) {
            out.printf(row, c.name(), c.role().label(), c.created());
        }
    }
}
