package io.actionlog.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the Prometheus text of /metrics in tests. */
public final class MetricsText {
    private MetricsText() {
    }

    /** The value of one series, {@code name} or {@code name{labels}} exactly as written; fails when it is absent. */
    public static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), () -> series + " is not in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
