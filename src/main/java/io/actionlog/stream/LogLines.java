package io.actionlog.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * How logs text becomes the lines of the logs stream.
 *
 * <p>The rule: every piece of logs text (the logs given at creation, then each append) is split on {@code '\n'}
 * by itself, and what follows its last {@code '\n'} is a line too. So {@code "a\nb"} is two lines, {@code "a\n"}
 * is one, {@code "\n"} is one empty line and an empty append is none. A line split across two appends
 * ({@code "pro"} then {@code "gress\n"}) arrives as two lines, {@code "pro"} and {@code "gress"}: a follower sees
 * text the moment it is recorded instead of waiting for a newline that may never come, and a tail read later
 * from the journal yields exactly the lines a follower saw live.
 */
final class LogLines {
    private LogLines() {
    }

    static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            if (nl < 0) {
                lines.add(text.substring(from));
                break;
            }
            lines.add(text.substring(from, nl));
            from = nl + 1;
        }
        return lines;
    }
}
