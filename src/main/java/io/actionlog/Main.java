package io.actionlog;

import io.actionlog.auth.CredentialCommand;
import io.actionlog.config.ConfigException;
import io.actionlog.server.ExitLogManager;
import io.actionlog.server.ServeCommand;
import io.actionlog.server.Version;
import io.actionlog.tools.GenerateCommand;
import io.actionlog.tools.IntegrityCommand;
import io.actionlog.tools.VerifyCommand;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The command line: {@code serve} (also when no command is given), {@code credential add|list|remove|rotate},
 * {@code generate}, {@code verify}; each parses its own options and has {@code --help}.
 * Exit codes: 0 done; 1 failed or refused; 2 bad command line or configuration, in one line on stderr.
 */
@Command(name = "actionlog", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class, usageHelpAutoWidth = true,
        description = "An audit-trail server. Without a command it runs `serve`.",
        subcommands = {ServeCommand.class, CredentialCommand.class, GenerateCommand.class, VerifyCommand.class,
                IntegrityCommand.class})
public final class Main {
    static {
        // Before any Chronicle class loads: it would otherwise try to send usage data and write into $HOME.
        System.setProperty("chronicle.analytics.disable", "true");
        // Keep mapped chunks of the journal mapped (reads would otherwise map and unmap them), and leave syncing
        // to the journal's own durability mode.
        System.setProperty("mappedFile.retain", "true");
        System.setProperty("mappedFile.defaultSyncMode", "NONE");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        // Before the first logger: the server's stop logs from a shutdown hook, which the JDK's manager silences.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ExitLogManager.class.getName());
        }
    }

    private static final List<String> OWN_OPTIONS = List.of("-h", "--help", "-V", "--version");

    /** Picocli builds the command from the annotations above. */
    private Main() {
    }

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        System.exit(run(new PrintWriter(System.out, true, charset), new PrintWriter(System.err, true, charset), args));
    }

    /** Runs one command line to its end and returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new Main()).setOut(out).setErr(err)
                .setExpandAtFiles(false) // a credential name may start with '@'
                .setParameterExceptionHandler(Main::usageError)
                .setExecutionExceptionHandler(Main::failure);
        return line.execute(serveByDefault(args));
    }

    /** No command, or options only (other than help and version), means {@code serve}. */
    private static String[] serveByDefault(String[] args) {
        if (args.length > 0 && (!args[0].startsWith("-") || OWN_OPTIONS.contains(args[0]))) {
            return args;
        }
        String[] withServe = new String[args.length + 1];
        withServe[0] = "serve";
        System.arraycopy(args, 0, withServe, 1, args.length);
        return withServe;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        command.usage(command.getErr());
        return 2;
    }

    /** Where Jackson says a JSON text broke: "[Source: REDACTED (…); line: 1, column: 9]". */
    private static final Pattern JSON_PLACE = Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");

    private static int failure(Exception e, CommandLine command, ParseResult parsed) {
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + oneLine(describe(e)));
        return e instanceof ConfigException ? 2 : 1;
    }

    /** The failure in words: a file the JDK could not use is named with what was wrong with it. */
    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        if (e instanceof CharacterCodingException) {
            return "a file that must be UTF-8 text is not";
        }
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            StackTraceElement[] at = e.getStackTrace();
            return e.getClass().getSimpleName() + (at.length > 0 ? " at " + at[0] : "");
        }
        return e.getMessage();
    }

    /**
     * A failure is one line: a damaged JSON file (the configuration, the credentials) is reported with Jackson's
     * message, which puts where it broke on a second line behind a note that the source is not shown.
     */
    static String oneLine(String message) {
        return JSON_PLACE.matcher(message).replaceAll("line $1, column $2").replaceAll("\\s*\\R\\s*", " ");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"actionlog " + Version.current()};
        }
    }
}
