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
 * follower holds stays bounded however the logs are written. A tail that begins inside such a line cannot know
 * where the line began, so it may cut that line's pieces at other places than a follower did.
 */
final class LogLines {
    /** The most of an unfinished line, in characters (code points), held back before it is sent as it stands. */
    static final int MAX_OPEN = 64 * 1024;

    private final StringBuilder open = new StringBuilder();
    /** Characters (code points) in {@link #open}. */
    private int openChars;

    /** Starts with {@code open}, the text of a line begun before and not yet finished. */
    LogLines(String open) {
        append(open, 0, open.length(), new ArrayList<>());
    }

    /** The lines {@code text} finishes, in order; what follows its last newline is held. */
    List<String> add(String text) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? text.length() : nl;
            append(text, from, end, lines);
            if (nl < 0) {
                break;
            }
            lines.add(take());
            from = nl + 1;
        }
        return lines;
    }

    /**
     * Holds {@code text[from, end)}, a part of one line. A full piece goes out only when more of its line follows,
     * so a line of exactly the bound is one line, not a piece and then an empty line.
     */
    private void append(String text, int from, int end, List<String> lines) {
        int at = from;
        while (at < end) {
            if (openChars == MAX_OPEN) {
                lines.add(take());
            }
            // Whole characters only: a surrogate pair is never split between two pieces.
            int to = at;
            for (int room = MAX_OPEN - openChars; to < end && room > 0; room--) {
                to += Character.charCount(text.codePointAt(to));
            }
            openChars += Character.codePointCount(text, at, to);
            open.append(text, at, to);
            at = to;
        }
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
        openChars = 0;
        return line;
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
