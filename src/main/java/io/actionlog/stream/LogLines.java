package io.actionlog.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * How logs text becomes the lines of the logs stream: the lines of the whole text, whatever pieces it was appended
 * in. {@code "three\npro"} then {@code "gress\n"} is the lines {@code three} and {@code progress}, and
 * {@code "a"} then {@code "\nb\n"} is {@code a} and {@code b}: a client prints one frame per line, so a line split
 * where an append happened to end would be printed broken, and a newline that ends the previous append's text
 * would be printed as an empty line that the logs do not have.
 *
 * <p>So a line goes out once its {@code '\n'} is recorded; text after the last one waits, held here, and goes out
 * as the last line when the action finishes (or at once in a tail of a finished action or one not followed). A line
 * that grows past {@link #MAX_OPEN} characters without its newline goes out in pieces of that size, so what a
 * follower holds stays bounded however the logs are written.
 */
final class LogLines {
    /** The most of an unfinished line held back before it is sent as it stands. */
    static final int MAX_OPEN = 64 * 1024;

    private final StringBuilder open = new StringBuilder();

    /** Starts with {@code open}, the text of a line begun before and not yet finished. */
    LogLines(String open) {
        this.open.append(open);
    }

    /** The lines {@code text} finishes, in order; what follows its last newline is held. */
    List<String> add(String text) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? text.length() : nl;
            for (int at = from; at < end; ) {
                // Never split a surrogate pair between two pieces of an overlong line.
                int room = MAX_OPEN - open.length();
                int to = end - at > room ? cut(text, at + room) : end;
                if (to == at) {
                    lines.add(take()); // one char short of full, before a pair that does not fit
                    continue;
                }
                open.append(text, at, to);
                at = to;
                if (open.length() >= MAX_OPEN) {
                    lines.add(take());
                }
            }
            if (nl < 0) {
                break;
            }
            lines.add(take());
            from = nl + 1;
        }
        return lines;
    }

    /** The unfinished line, if any, taken: the action finished, or the stream ends here. */
    String rest() {
        return open.length() == 0 ? null : take();
    }

    /** The unfinished line as it stands, left held. */
    String held() {
        return open.toString();
    }

    private String take() {
        String line = open.toString();
        open.setLength(0);
        return line;
    }

    private static int cut(String text, int at) {
        return Character.isLowSurrogate(text.charAt(at)) && Character.isHighSurrogate(text.charAt(at - 1)) ? at - 1 : at;
    }

    /** The lines of a whole text, its last one included whether or not a newline ends it. */
    static List<String> split(String text) {
        LogLines lines = new LogLines("");
        List<String> all = lines.add(text);
        String rest = lines.rest();
        if (rest != null) {
            all.add(rest);
        }
        return all;
    }
}
