package io.actionlog.support;

import io.actionlog.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One command line run in this JVM, as {@code java -jar actionlog.jar ARGS} would run it: exit code and output. */
public record Cli(int code, String out, String err) {
    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }

    public List<String> outLines() {
        return out.lines().toList();
    }

    /** The last line of stdout, where add and rotate print a key. */
    public String lastLine() {
        List<String> lines = outLines();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
