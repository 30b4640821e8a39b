package io.actionlog.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs of the machine beyond Java and Maven: a browser, {@code python3} and {@code openssl} for the
 * outside verifier, root with mount rights. Without it the test is skipped with a message naming what is missing,
 * so that a laptop runs the rest; with {@code ACTIONLOG_REQUIRE_ALL=1} (set by CI) it fails instead, so that CI
 * never reports a test as passed that did not run. {@code ACTIONLOG_REQUIRE_<KIND>=1} requires one kind only.
 */
public final class Needs {
    private Needs() {
    }

    /** Goes on when {@code present}; else skips, or fails when {@code kind} (or everything) is required. */
    public static void require(String kind, boolean present, String missing) {
        if ("1".equals(System.getenv("ACTIONLOG_REQUIRE_ALL")) || "1".equals(System.getenv("ACTIONLOG_REQUIRE_" + kind))) {
            Assertions.assertTrue(present, missing + "; ACTIONLOG_REQUIRE_ALL=1 (or ACTIONLOG_REQUIRE_" + kind
                    + "=1) makes it required");
        } else {
            Assumptions.assumeTrue(present, "skipped: " + missing);
        }
    }
}
